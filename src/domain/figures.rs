//! Numbers as case-study documents hold them.

/// The years a case study's dates and figures may name.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// Figures are mostly counts: write 11 rather than 11.0.
pub fn whole_numbers_without_decimals<S: serde::Serializer>(
    value: &f64,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: beyond it, f64 skips integers
    if value.fract() == 0.0 && value.abs() < EXACT {
        serializer.serialize_i64(*value as i64)
    } else {
        serializer.serialize_f64(*value)
    }
}
