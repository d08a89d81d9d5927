//! Query strings, read so that every mistake is a 400 naming the parameter (and, for
//! controlled lists, the allowed values), and repeated parameters mean "any of these".

use std::future::{Ready, ready};
use std::str::FromStr;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

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

    fn values<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a str> + use<'a> {
        let name = name.to_owned();
        self.0
            .iter()
            .filter(move |(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }

    /// A parameter given at most once; empty counts as absent.
    pub fn text(&self, name: &str) -> Result<Option<&str>, ApiError> {
        let mut values = self.values(name).filter(|value| !value.is_empty());
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

    /// A single value parsed as `T`.
    pub fn one<T: FromStr>(&self, name: &str, expected: &str) -> Result<Option<T>, ApiError> {
        self.text(name)?
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
        for value in self.values(name).flat_map(|value| value.split(',')) {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let member = V::parse(value).map_err(|unknown| ApiError::InvalidParameter {
                parameter: name.to_owned(),
                detail: unknown.to_string(),
                allowed: V::CODES.iter().map(|code| (*code).to_owned()).collect(),
            })?;
            if !members.contains(&member) {
                members.push(member);
            }
        }
        Ok(members)
    }

    /// Free values, repeated or comma-separated (e.g. organisation slugs).
    pub fn list(&self, name: &str) -> Result<Vec<String>, ApiError> {
        let mut items: Vec<String> = Vec::new();
        for value in self.values(name).flat_map(|value| value.split(',')) {
            let value = value.trim();
            if value.chars().count() > MAX_VALUE_LENGTH {
                return Err(ApiError::invalid_parameter(
                    name,
                    format!("values must be at most {MAX_VALUE_LENGTH} characters"),
                ));
            }
            if !value.is_empty() && !items.iter().any(|item| item == value) {
                items.push(value.to_owned());
            }
        }
        Ok(items)
    }
}

impl FromRequest for QueryParams {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let params = Self::parse(request.query_string());
        ready(params.reject_nul().map(|()| params))
    }
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
