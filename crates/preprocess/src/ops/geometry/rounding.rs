//! Rounding and `floor` in forms that vectorise, shared by rotation and resizing.

/// 1.5 * 2^23: adding it to an `f32` below 2^22 rounds the value to the nearest
/// integer, ties to even (like `cvRound`), without SSE4.1's `roundps`.
pub(super) const ROUND_MAGIC: f32 = 12_582_912.0;

/// `cvRound` of a value known to lie in about `[-2^22, 2^22]`, in integer lanes (the
/// low mantissa bits of `v + ROUND_MAGIC`), so that loops of it vectorise.
#[inline(always)]
pub(super) fn round_bits(v: f32) -> u32 {
    (v + ROUND_MAGIC).to_bits().wrapping_sub(ROUND_MAGIC.to_bits())
}

/// `floor` for the coordinates (no libm call on baseline x86-64).
#[inline(always)]
pub(super) fn floor_i32(v: f32) -> i32 {
    let t = v as i32;
    t - i32::from((t as f32) > v)
}

/// `floor` of a value within `[-2^22, 2^22]`, with no saturating conversion (which
/// does not vectorise well): round to nearest with the magic constant, then step down
/// where that went up.
#[inline(always)]
pub(super) fn floor_small(v: f32) -> i32 {
    let r = round_bits(v) as i32;
    r - i32::from(r as f32 > v)
}
