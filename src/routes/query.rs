//! Query strings, read so that every mistake is a 400 naming the parameter (and, for
//! controlled lists, the allowed values), and repeated parameters mean "any of these".

use std::collections::HashSet;
use std::future::{Ready, ready};
use std::str::FromStr;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use utoipa::IntoParams;
use utoipa::openapi::{RefOr, Schema};

use crate::domain::vocabulary::Vocabulary;
use crate::error::ApiError;

/// Longest value we read for any one parameter; longer is a mistake or an attack.
pub const MAX_VALUE_LENGTH: usize = 1_000;

#[derive(Debug, Default)]
pub struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    pub fn parse(query: &str) -> Self {
        Self(
            form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect(),
        )
    }

    /// NUL is never part of a value we accept, and PostgreSQL cannot take it: refuse it here,
    /// once, for every parameter.
    pub fn reject_nul(&self) -> Result<(), ApiError> {
        match self
            .0
            .iter()
            .find(|(key, value)| key.contains('\0') || value.contains('\0'))
        {
            Some((key, _)) => Err(ApiError::invalid_parameter(
                key,
                "must not contain NUL characters",
            )),
            None => Ok(()),
        }
    }

    /// How many values a parameter was given, repeated or comma-separated, empty ones too
    /// (the document's `maxItems` counts every one sent).
    fn count(&self, name: &str) -> usize {
        self.values(name).flat_map(|value| value.split(',')).count()
    }

    fn values<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a str> + use<'a> {
        let name = name.to_owned();
        self.0
            .iter()
            .filter(move |(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }

    /// A parameter given at most once, as it was sent (empty included).
    fn single(&self, name: &str) -> Result<Option<&str>, ApiError> {
        let mut values = self.values(name);
        let value = values.next();
        if values.next().is_some() {
            return Err(ApiError::invalid_parameter(
                name,
                "must be given at most once",
            ));
        }
        match value {
            Some(value) if value.chars().count() > MAX_VALUE_LENGTH => {
                Err(ApiError::invalid_parameter(
                    name,
                    format!("must be at most {MAX_VALUE_LENGTH} characters"),
                ))
            }
            other => Ok(other),
        }
    }

    /// Free text given at most once; empty counts as absent.
    pub fn text(&self, name: &str) -> Result<Option<&str>, ApiError> {
        Ok(self.single(name)?.filter(|value| !value.is_empty()))
    }

    /// A single value parsed as `T`; an empty one is a mistake like any other.
    pub fn one<T: FromStr>(&self, name: &str, expected: &str) -> Result<Option<T>, ApiError> {
        self.single(name)?
            .map(|value| {
                value
                    .trim()
                    .parse()
                    .map_err(|_| ApiError::invalid_parameter(name, format!("must be {expected}")))
            })
            .transpose()
    }

    /// Codes of a controlled list, repeated (`?quadrant=a&quadrant=b`) or comma-separated.
    pub fn codes<V: Vocabulary>(&self, name: &str) -> Result<Vec<V>, ApiError> {
        let mut members = Vec::new();
        let mut seen = HashSet::new();
        for value in self.values(name).flat_map(|value| value.split(',')) {
            let value = value.trim();
            let member = V::parse(value).map_err(|unknown| ApiError::InvalidParameter {
                parameter: name.to_owned(),
                detail: unknown.to_string(),
                allowed: V::CODES.iter().map(|code| (*code).to_owned()).collect(),
            })?;
            if seen.insert(member) {
                members.push(member);
            }
        }
        Ok(members)
    }

    /// Free values, repeated or comma-separated (e.g. organisation slugs).
    pub fn list(&self, name: &str) -> Result<Vec<String>, ApiError> {
        let mut items: Vec<String> = Vec::new();
        let mut seen = HashSet::new();
        for value in self.values(name).flat_map(|value| value.split(',')) {
            let value = value.trim();
            if value.chars().count() > MAX_VALUE_LENGTH {
                return Err(ApiError::invalid_parameter(
                    name,
                    format!("values must be at most {MAX_VALUE_LENGTH} characters"),
                ));
            }
            if !value.is_empty() && seen.insert(value) {
                items.push(value.to_owned());
            }
        }
        Ok(items)
    }
}

/// A value read from the query string under its parameter's name: every field of a
/// `query_params!` struct is one, so the struct that documents a parameter also reads it.
pub trait QueryValue: Sized {
    fn read(query: &QueryParams, name: &str) -> Result<Self, ApiError>;
}

impl QueryValue for Option<String> {
    fn read(query: &QueryParams, name: &str) -> Result<Self, ApiError> {
        Ok(query.text(name)?.map(str::to_owned))
    }
}

impl QueryValue for Option<Vec<String>> {
    fn read(query: &QueryParams, name: &str) -> Result<Self, ApiError> {
        Ok(Some(query.list(name)?).filter(|items| !items.is_empty()))
    }
}

impl<V: Vocabulary> QueryValue for Option<Vec<V>> {
    fn read(query: &QueryParams, name: &str) -> Result<Self, ApiError> {
        Ok(Some(query.codes(name)?).filter(|codes| !codes.is_empty()))
    }
}

macro_rules! whole_numbers {
    ($($number:ty),+) => {
        $(
            impl QueryValue for Option<$number> {
                fn read(query: &QueryParams, name: &str) -> Result<Self, ApiError> {
                    query.one(name, "a whole number")
                }
            }

            impl QueryValue for $number {
                fn read(query: &QueryParams, name: &str) -> Result<Self, ApiError> {
                    Option::<$number>::read(query, name)?.ok_or_else(|| required(name))
                }
            }
        )+
    };
}

whole_numbers!(u8, u32, i32, i64);

impl QueryValue for Option<bool> {
    fn read(query: &QueryParams, name: &str) -> Result<Self, ApiError> {
        query.one(name, "true or false")
    }
}

/// A parameter that takes one of a few named choices: a sort order, a format, a dimension.
pub trait Choice: Copy + 'static {
    /// Every choice, in the order the document lists them.
    const ALL: &'static [Self];

    fn code(self) -> &'static str;
}

impl<C: Choice> QueryValue for Option<C> {
    fn read(query: &QueryParams, name: &str) -> Result<Self, ApiError> {
        let Some(value) = query.single(name)? else {
            return Ok(None);
        };
        C::ALL
            .iter()
            .find(|choice| choice.code() == value)
            .map(|choice| Some(*choice))
            .ok_or_else(|| ApiError::InvalidParameter {
                parameter: name.to_owned(),
                detail: format!("`{value}` is not one of the choices"),
                allowed: codes::<C>(),
            })
    }
}

impl<C: Choice> QueryValue for C {
    fn read(query: &QueryParams, name: &str) -> Result<Self, ApiError> {
        Option::<C>::read(query, name)?.ok_or_else(|| ApiError::InvalidParameter {
            parameter: name.to_owned(),
            detail: "is required".into(),
            allowed: codes::<C>(),
        })
    }
}

fn codes<C: Choice>() -> Vec<String> {
    C::ALL.iter().map(|c| c.code().to_owned()).collect()
}

fn required(name: &str) -> ApiError {
    ApiError::invalid_parameter(name, "is required")
}

/// The parameters of one endpoint: a `query_params!` struct, or a tuple of them.
pub trait FromQuery: Sized {
    /// Every parameter it reads; any other is refused.
    fn names() -> Vec<&'static str>;
    fn from_query(query: &QueryParams) -> Result<Self, ApiError>;
}

impl<A: FromQuery, B: FromQuery> FromQuery for (A, B) {
    fn names() -> Vec<&'static str> {
        [A::names(), B::names()].concat()
    }

    fn from_query(query: &QueryParams) -> Result<Self, ApiError> {
        Ok((A::from_query(query)?, B::from_query(query)?))
    }
}

/// Bounds the OpenAPI document states for one parameter. Read from the document itself,
/// so the service refuses exactly what the document says it refuses.
#[derive(Debug)]
pub struct Documented {
    name: String,
    minimum: Option<f64>,
    maximum: Option<f64>,
    max_length: Option<usize>,
    max_items: Option<usize>,
}

impl Documented {
    pub fn of<T: IntoParams>() -> Vec<Self> {
        T::into_params(|| None)
            .into_iter()
            .filter_map(|parameter| match parameter.schema {
                Some(RefOr::T(Schema::Object(object))) => Some(Self {
                    name: parameter.name,
                    minimum: object.minimum.as_ref().and_then(number),
                    maximum: object.maximum.as_ref().and_then(number),
                    max_length: object.max_length,
                    max_items: None,
                }),
                Some(RefOr::T(Schema::Array(array))) => Some(Self {
                    name: parameter.name,
                    minimum: None,
                    maximum: None,
                    max_length: None,
                    max_items: array.max_items,
                }),
                _ => None,
            })
            .collect()
    }

    /// Refuses a value outside the documented bounds, naming the parameter.
    pub fn check(all: &[Self], query: &QueryParams) -> Result<(), ApiError> {
        for bounds in all {
            if let Some(most) = bounds.max_items {
                if query.count(&bounds.name) > most {
                    return Err(ApiError::invalid_parameter(
                        &bounds.name,
                        format!("takes at most {most} values"),
                    ));
                }
                continue;
            }
            let Some(value) = query.text(&bounds.name)? else {
                continue;
            };
            if let Some(most) = bounds.max_length
                && value.chars().count() > most
            {
                return Err(ApiError::invalid_parameter(
                    &bounds.name,
                    format!("must be at most {most} characters"),
                ));
            }
            let number = value.trim().parse::<f64>().ok();
            let (low, high) = (bounds.minimum, bounds.maximum);
            let outside = number.is_some_and(|n| {
                low.is_some_and(|low| n < low) || high.is_some_and(|high| n > high)
            });
            if outside {
                let range = match (low, high) {
                    (Some(low), Some(high)) => format!("must be from {low} to {high}"),
                    (Some(low), None) => format!("must be at least {low}"),
                    (None, _) => format!("must be at most {}", high.unwrap_or_default()),
                };
                return Err(ApiError::invalid_parameter(&bounds.name, range));
            }
        }
        Ok(())
    }
}

fn number(value: &utoipa::Number) -> Option<f64> {
    match value {
        utoipa::Number::Int(n) => Some(*n as f64),
        utoipa::Number::UInt(n) => Some(*n as f64),
        utoipa::Number::Float(n) => Some(*n),
    }
}

/// Declares the query parameters of an endpoint once: the struct documents them (it
/// derives `IntoParams`) and reads them (`FromQuery`), with every field read by its
/// type's `QueryValue` and checked against the bounds its `#[param]` attributes document.
macro_rules! query_params {
    (
        $(#[$attribute:meta])*
        pub struct $name:ident {
            $( $(#[$field_attribute:meta])* pub $field:ident : $type:ty, )+
        }
    ) => {
        $(#[$attribute])*
        #[derive(utoipa::IntoParams)]
        #[into_params(parameter_in = Query)]
        pub struct $name {
            $( $(#[$field_attribute])* pub $field: $type, )+
        }

        impl $crate::routes::query::FromQuery for $name {
            fn names() -> Vec<&'static str> {
                vec![$(stringify!($field)),+]
            }

            fn from_query(
                query: &$crate::routes::query::QueryParams,
            ) -> Result<Self, $crate::error::ApiError> {
                static DOCUMENTED: std::sync::OnceLock<Vec<$crate::routes::query::Documented>> =
                    std::sync::OnceLock::new();
                let parsed = Self {
                    $( $field: $crate::routes::query::QueryValue::read(query, stringify!($field))?, )+
                };
                let documented =
                    DOCUMENTED.get_or_init($crate::routes::query::Documented::of::<Self>);
                $crate::routes::query::Documented::check(documented, query)?;
                Ok(parsed)
            }
        }
    };
}

pub(crate) use query_params;

/// The parameters of a request, read by their `FromQuery`: a parameter the endpoint does
/// not take is refused by name, as is any mistake in one it does.
pub struct Params<T>(pub T);

impl<T: FromQuery> FromRequest for Params<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let query = QueryParams::parse(request.query_string());
        ready(read(&query).map(Params))
    }
}

pub fn read<T: FromQuery>(query: &QueryParams) -> Result<T, ApiError> {
    query.reject_nul()?;
    let names = T::names();
    if let Some((unknown, _)) = query
        .0
        .iter()
        .find(|(key, _)| !names.contains(&key.as_str()))
    {
        return Err(ApiError::InvalidParameter {
            parameter: unknown.clone(),
            detail: "is not a parameter of this request".into(),
            allowed: names.iter().map(|name| (*name).to_owned()).collect(),
        });
    }
    T::from_query(query)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::vocabulary::StarQuadrant;

    #[test]
    fn repeated_and_comma_separated_codes_mean_any_of() {
        let params = QueryParams::parse("quadrant=co-design&quadrant=co-delivery,co-design&x=1");
        let quadrants: Vec<StarQuadrant> = params.codes("quadrant").unwrap();
        assert_eq!(
            quadrants,
            [StarQuadrant::CoDesign, StarQuadrant::CoDelivery]
        );
    }

    #[test]
    fn mistakes_name_the_parameter() {
        let params = QueryParams::parse("quadrant=co-op&limit=ten&limit2=1&limit2=2");
        match params.codes::<StarQuadrant>("quadrant") {
            Err(ApiError::InvalidParameter {
                parameter, allowed, ..
            }) => {
                assert_eq!(parameter, "quadrant");
                assert_eq!(allowed.len(), 4);
            }
            other => panic!("{other:?}"),
        }
        assert!(params.one::<u32>("limit", "a number").is_err());
        assert!(params.text("limit2").is_err());
        // Empty is not absent where the document allows no empty value.
        let params = QueryParams::parse("limit=&quadrant=&q=");
        assert!(params.one::<u32>("limit", "a number").is_err());
        assert!(params.codes::<StarQuadrant>("quadrant").is_err());
        assert_eq!(params.text("q").unwrap(), None);
        assert_eq!(params.one::<u32>("absent", "a number").unwrap(), None);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Every refusal is a 400 naming the parameter that was asked for.
        fn names(result: Result<impl Sized, ApiError>, name: &str) -> bool {
            match result {
                Ok(_) => true,
                Err(ApiError::InvalidParameter { parameter, .. }) => parameter == name,
                Err(_) => false,
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn any_query_string_parses_or_names_the_parameter(
                query in prop_oneof![
                    any::<String>(),
                    "((limit|quadrant|q|cursor|partner)=[a-z0-9%,&=+ -]{0,30}&?){0,6}",
                ],
            ) {
                let params = QueryParams::parse(&query);
                let nul_refused = params.reject_nul().map_err(|error| matches!(error, ApiError::InvalidParameter { .. }));
                prop_assert_ne!(nul_refused, Err(false));
                prop_assert!(names(params.text("q"), "q"));
                prop_assert!(names(params.one::<u32>("limit", "a number"), "limit"));
                prop_assert!(names(params.codes::<StarQuadrant>("quadrant"), "quadrant"));
                let partners = params.list("partner");
                if let Ok(partners) = &partners {
                    prop_assert!(partners.iter().all(|p| !p.is_empty() && p.trim() == p));
                }
                prop_assert!(names(partners, "partner"));
            }

            #[test]
            fn a_value_comes_back_as_it_was_sent(value in "[^\u{0}]{1,40}") {
                let query: String =
                    form_urlencoded::Serializer::new(String::new()).append_pair("q", &value).finish();
                let params = QueryParams::parse(&query);
                prop_assert_eq!(params.text("q").unwrap(), Some(value.as_str()));
            }
        }
    }
}
