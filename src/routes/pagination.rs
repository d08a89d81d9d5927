//! Page sizes and opaque keyset cursors shared by every listing.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::query::query_params;
use crate::cursor::{decode_cursor, encode_cursor, invalid_cursor};
use crate::error::ApiError;

const DEFAULT_LIMIT: u32 = 20;

query_params! {
    /// `limit` and `cursor`, as every listing takes them.
    #[derive(Debug)]
    pub struct PageParams {
        /// How many to return (1-100).
        #[param(minimum = 1, maximum = 100, default = 20)]
        pub limit: Option<u32>,
        /// `next_cursor` from the previous page, as it was given: any other value is refused.
        pub cursor: Option<String>,
    }
}

impl PageParams {
    /// The page size (its bounds are checked as it is read).
    pub fn limit(&self) -> i64 {
        i64::from(self.limit.unwrap_or(DEFAULT_LIMIT))
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

#[cfg(test)]
mod tests {
    use super::*;

    use crate::routes::query::{FromQuery, QueryParams};

    fn page(query: &str) -> Result<PageParams, ApiError> {
        PageParams::from_query(&QueryParams::parse(query))
    }

    #[test]
    fn limits_are_bounded_as_documented() {
        assert_eq!(page("").unwrap().limit(), 20);
        assert_eq!(page("limit=100").unwrap().limit(), 100);
        for refused in ["limit=0", "limit=101", "limit=ten", "limit=-1"] {
            match page(refused) {
                Err(ApiError::InvalidParameter { parameter, .. }) => assert_eq!(parameter, "limit"),
                other => panic!("{refused}: {other:?}"),
            }
        }
    }
}
