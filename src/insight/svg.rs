//! The Co-production Star as an SVG picture: four points, one per quadrant, shaded by how
//! many case studies each has, around the ring of the five-step journey. Small enough to put
//! on a partner's website with one `<img>` tag.

use std::fmt::Write;

use super::StarMap;
use crate::markup::escape;

const SIZE: f64 = 480.0;
const CENTRE: f64 = SIZE / 2.0;
/// From the centre to a point's tip, and to the shoulders either side of it.
const TIP: f64 = 220.0;
const SHOULDER: f64 = 78.0;
const RING: f64 = 66.0;

/// The colour of a point: pale for none, deepening with its share of the largest count.
pub fn shade(count: u64, most: u64) -> (u8, u8, u8) {
    let share = if most == 0 {
        0.0
    } else {
        count as f64 / most as f64
    };
    let mix = |pale: f64, deep: f64| (pale + (deep - pale) * share).round() as u8;
    (mix(232.0, 17.0), mix(240.0, 94.0), mix(238.0, 89.0))
}

pub fn star(map: &StarMap, title: &str) -> String {
    let most = map
        .quadrants
        .iter()
        .map(|q| q.case_studies)
        .max()
        .unwrap_or(0);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}" role="img" aria-labelledby="title">"#
    );
    let _ = write!(svg, r#"<title id="title">{}</title>"#, escape(title));
    let _ = write!(
        svg,
        r##"<rect width="{SIZE}" height="{SIZE}" fill="#ffffff"/>"##
    );
    // Points clockwise from the top: commissioning, design, delivery, assessment.
    for (i, quadrant) in map.quadrants.iter().enumerate() {
        let angle = std::f64::consts::FRAC_PI_2 * i as f64 - std::f64::consts::FRAC_PI_2;
        let at = |radius: f64, turn: f64| {
            let a = angle + turn;
            (CENTRE + radius * a.cos(), CENTRE + radius * a.sin())
        };
        let (tx, ty) = at(TIP, 0.0);
        let (lx, ly) = at(SHOULDER, -std::f64::consts::FRAC_PI_4);
        let (rx, ry) = at(SHOULDER, std::f64::consts::FRAC_PI_4);
        let (r, g, b) = shade(quadrant.case_studies, most);
        let _ = write!(
            svg,
            r##"<polygon id="{code}" points="{CENTRE:.1},{CENTRE:.1} {lx:.1},{ly:.1} {tx:.1},{ty:.1} {rx:.1},{ry:.1}" fill="#{r:02x}{g:02x}{b:02x}" stroke="#114e59" stroke-width="2"/>"##,
            code = quadrant.quadrant,
        );
        let (label_x, label_y) = at(TIP * 0.62, 0.0);
        let ink = if r < 128 { "#ffffff" } else { "#10302f" };
        let _ = write!(
            svg,
            r#"<text x="{label_x:.1}" y="{label_y:.1}" text-anchor="middle" font-family="sans-serif" font-size="15" fill="{ink}">{}</text>"#,
            escape(quadrant.label)
        );
        let _ = write!(
            svg,
            r#"<text x="{label_x:.1}" y="{:.1}" text-anchor="middle" font-family="sans-serif" font-size="20" font-weight="bold" fill="{ink}">{}</text>"#,
            label_y + 22.0,
            quadrant.case_studies
        );
    }
    // The inner ring: the five steps of the journey, each with its count.
    let _ = write!(
        svg,
        r##"<circle cx="{CENTRE}" cy="{CENTRE}" r="{RING}" fill="#ffffff" stroke="#114e59" stroke-width="2"/>"##
    );
    for (i, step) in map.journey_steps.iter().enumerate() {
        let y = CENTRE - 40.0 + 20.0 * i as f64;
        let _ = write!(
            svg,
            r##"<text x="{CENTRE}" y="{y:.1}" text-anchor="middle" font-family="sans-serif" font-size="11" fill="#10302f">{} · {}</text>"##,
            escape(step.label),
            step.case_studies
        );
    }
    let _ = write!(
        svg,
        r##"<text x="{CENTRE}" y="{:.1}" text-anchor="middle" font-family="sans-serif" font-size="12" fill="#10302f">{} case studies</text>"##,
        SIZE - 8.0,
        map.total
    );
    svg.push_str("</svg>");
    svg
}

/// Where the middle of each point is drawn, for checking a rendering.
pub fn point_centre(quadrant_position: usize) -> (f64, f64) {
    let angle =
        std::f64::consts::FRAC_PI_2 * quadrant_position as f64 - std::f64::consts::FRAC_PI_2;
    (
        CENTRE + 0.42 * TIP * angle.cos(),
        CENTRE + 0.42 * TIP * angle.sin(),
    )
}
