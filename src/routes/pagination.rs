//! Page sizes and opaque keyset cursors shared by every listing.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::query::QueryParams;
use crate::error::ApiError;

pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;
/// Longer than any cursor we issue; a bound on what we bother to decode.
const MAX_CURSOR_LENGTH: usize = 512;

/// `limit` and `cursor`, as every listing takes them.
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// How many to return (1-100).
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<u32>,
    /// `next_cursor` from the previous page.
    pub cursor: Option<String>,
}

impl PageParams {
    pub fn from_query(query: &QueryParams) -> Result<Self, ApiError> {
        Ok(Self {
            limit: query.one("limit", "a whole number from 1 to 100")?,
            cursor: query.text("cursor")?.map(str::to_owned),
        })
    }

    /// The page size, checked against the bounds.
    pub fn limit(&self) -> Result<i64, ApiError> {
        limit(self.limit)
    }

    /// The position the previous page ended at.
    pub fn after<T: DeserializeOwned>(&self) -> Result<Option<T>, ApiError> {
        self.after_if(|_| true)
    }

    /// Like `after`, for positions that not every value of `T` can be. Cursors are not
    /// signed, so the listing says which positions it could have issued; any other is
    /// refused like a garbled cursor, before it reaches a query.
    pub fn after_if<T: DeserializeOwned>(
        &self,
        issued: impl Fn(&T) -> bool,
    ) -> Result<Option<T>, ApiError> {
        self.cursor
            .as_deref()
            .map(|cursor| match decode_cursor(cursor)? {
                position if issued(&position) => Ok(position),
                _ => Err(invalid_cursor()),
            })
            .transpose()
    }
}

/// The next page's cursor: the last item's position, when the page was full.
pub fn next_cursor<I, T: Serialize>(
    items: &[I],
    limit: i64,
    position: impl Fn(&I) -> T,
) -> Option<String> {
    match items.last() {
        Some(last) if items.len() as i64 == limit => Some(encode_cursor(&position(last))),
        _ => None,
    }
}

pub fn limit(requested: Option<u32>) -> Result<i64, ApiError> {
    match requested.unwrap_or(DEFAULT_LIMIT) {
        limit @ 1..=MAX_LIMIT => Ok(i64::from(limit)),
        _ => Err(ApiError::invalid_parameter(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        )),
    }
}

/// Cursors are base64url JSON: opaque to clients, cheap for us, and tamper-evident enough
/// that a bad one is a 400 rather than a wrong page.
pub fn encode_cursor<T: Serialize>(position: &T) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(position).expect("positions serialise"))
}

pub fn decode_cursor<T: DeserializeOwned>(cursor: &str) -> Result<T, ApiError> {
    if cursor.len() > MAX_CURSOR_LENGTH {
        return Err(invalid_cursor());
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| invalid_cursor())?;
    serde_json::from_slice(&bytes).map_err(|_| invalid_cursor())
}

fn invalid_cursor() -> ApiError {
    ApiError::invalid_parameter(
        "cursor",
        "is not a cursor this service issued; start again without it",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let cursor = encode_cursor(&("2026-01-01T00:00:00Z", 7));
        let position: (String, i32) = decode_cursor(&cursor).unwrap();
        assert_eq!(position, ("2026-01-01T00:00:00Z".to_owned(), 7));
        assert!(decode_cursor::<(String, i32)>("not a cursor!").is_err());
        assert!(decode_cursor::<(String, i32)>(&encode_cursor(&"other shape")).is_err());
    }

    #[test]
    fn limits_are_bounded() {
        assert_eq!(limit(None).unwrap(), 20);
        assert!(limit(Some(0)).is_err());
        assert!(limit(Some(1000)).is_err());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn rejected_as_cursor(result: Result<(String, i64), ApiError>) -> bool {
            match result {
                Ok(_) => true,
                Err(ApiError::InvalidParameter { parameter, .. }) => parameter == "cursor",
                Err(_) => false,
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn positions_round_trip(text in any::<String>(), number in any::<i64>()) {
                let position = (text, number);
                prop_assert_eq!(decode_cursor::<(String, i64)>(&encode_cursor(&position)).unwrap(), position);
            }

            #[test]
            fn any_text_decodes_or_is_an_invalid_cursor(cursor in any::<String>()) {
                prop_assert!(rejected_as_cursor(decode_cursor(&cursor)));
            }

            /// A cursor with one byte changed, cut short or lengthened decodes to a position
            /// of the right shape or is refused as a cursor; it never panics.
            #[test]
            fn mutated_cursors_decode_or_are_refused(
                text in "[a-z0-9-]{0,40}",
                number in any::<i64>(),
                at in any::<prop::sample::Index>(),
                replacement in any::<u8>(),
                cut in any::<bool>(),
                extra in "[A-Za-z0-9_=+/-]{0,8}",
            ) {
                let cursor = encode_cursor(&(text, number)).into_bytes();
                let mut mutated = cursor.clone();
                let at = at.index(mutated.len());
                if cut {
                    mutated.truncate(at);
                } else {
                    mutated[at] = replacement;
                }
                let mut mutated = String::from_utf8_lossy(&mutated).into_owned();
                mutated.push_str(&extra);
                let decoded = decode_cursor::<(String, i64)>(&mutated);
                if let Ok(position) = &decoded {
                    let again: (String, i64) = decode_cursor(&encode_cursor(position)).unwrap();
                    prop_assert_eq!(&again, position);
                }
                prop_assert!(rejected_as_cursor(decoded));
            }
        }
    }
}
