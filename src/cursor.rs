//! Cursors: the opaque positions a listing or a search hands out for its next page.
//! base64url JSON: opaque to clients, cheap for us, and tamper-evident enough that a bad
//! one is a 400 naming `cursor` rather than a wrong page.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Longer than any cursor we issue; a bound on what we bother to decode.
const MAX_CURSOR_LENGTH: usize = 512;

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

pub fn invalid_cursor() -> ApiError {
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

    mod properties {
        use super::*;
        use crate::search::evaluate::{OwnedKey, Position, Sort};
        use proptest::prelude::*;
        use proptest::test_runner::TestCaseError;

        fn rejected_as_cursor<T>(result: &Result<T, ApiError>) -> bool {
            match result {
                Ok(_) => true,
                Err(ApiError::InvalidParameter { parameter, .. }) => parameter == "cursor",
                Err(_) => false,
            }
        }

        /// The positions of the search, whose cursors carry the sort order as well.
        fn search_position() -> impl Strategy<Value = Position> {
            let sort = prop_oneof![
                Just(Sort::Relevance),
                Just(Sort::Newest),
                Just(Sort::Oldest),
                Just(Sort::Title),
                Just(Sort::Completeness),
            ];
            let key = prop_oneof![
                any::<[i64; 4]>().prop_map(OwnedKey::Numbers),
                (any::<String>(), any::<i64>()).prop_map(|(t, n)| OwnedKey::Title(t, n)),
            ];
            (sort, key).prop_map(|(sort, key)| Position { sort, key })
        }

        /// What one changed byte, a cut or a few more characters do to a cursor.
        #[derive(Debug, Clone)]
        struct Mutation {
            at: prop::sample::Index,
            replacement: u8,
            cut: bool,
            extra: String,
        }

        fn mutation() -> impl Strategy<Value = Mutation> {
            (
                any::<prop::sample::Index>(),
                any::<u8>(),
                any::<bool>(),
                "[A-Za-z0-9_=+/-]{0,8}",
            )
                .prop_map(|(at, replacement, cut, extra)| Mutation {
                    at,
                    replacement,
                    cut,
                    extra,
                })
        }

        /// The cursor round-trips; mutated, it decodes to a position that round-trips in
        /// turn, or is refused as a cursor; nothing panics.
        fn check_cursor<T>(position: &T, mutation: &Mutation) -> Result<(), TestCaseError>
        where
            T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
        {
            let cursor = encode_cursor(position);
            prop_assert_eq!(&decode_cursor::<T>(&cursor).unwrap(), position);
            let mut mutated = cursor.into_bytes();
            let at = mutation.at.index(mutated.len());
            if mutation.cut {
                mutated.truncate(at);
            } else {
                mutated[at] = mutation.replacement;
            }
            let mut mutated = String::from_utf8_lossy(&mutated).into_owned();
            mutated.push_str(&mutation.extra);
            let decoded = decode_cursor::<T>(&mutated);
            if let Ok(position) = &decoded {
                prop_assert_eq!(
                    &decode_cursor::<T>(&encode_cursor(position)).unwrap(),
                    position
                );
            }
            prop_assert!(rejected_as_cursor(&decoded));
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn any_text_decodes_or_is_an_invalid_cursor(cursor in any::<String>()) {
                prop_assert!(rejected_as_cursor(&decode_cursor::<(String, i64)>(&cursor)));
                prop_assert!(rejected_as_cursor(&decode_cursor::<Position>(&cursor)));
            }

            #[test]
            fn listing_cursors_round_trip_and_survive_mutation(
                text in any::<String>(),
                number in any::<i64>(),
                mutation in mutation(),
            ) {
                check_cursor(&(text, number), &mutation)?;
            }

            #[test]
            fn search_cursors_round_trip_and_survive_mutation(
                position in search_position(),
                mutation in mutation(),
            ) {
                check_cursor(&position, &mutation)?;
            }
        }
    }
}
