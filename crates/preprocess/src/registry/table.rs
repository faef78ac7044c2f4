//! The sixteen operations, in the original service's order.

use super::{OperationSpec, ParamKind, ParamSpec};

const fn int(meaning: &'static str, min: f64, max: f64, default: Option<f64>) -> ParamSpec {
    ParamSpec {
        meaning,
        kind: ParamKind::Integer,
        min,
        max,
        default,
        default_note: None,
        odd: false,
    }
}

const fn float(meaning: &'static str, min: f64, max: f64, default: f64) -> ParamSpec {
    ParamSpec {
        meaning,
        kind: ParamKind::Float,
        min,
        max,
        default: Some(default),
        default_note: None,
        odd: false,
    }
}

const fn odd(spec: ParamSpec) -> ParamSpec {
    ParamSpec { odd: true, ..spec }
}

const fn noted(spec: ParamSpec, note: &'static str) -> ParamSpec {
    ParamSpec {
        default_note: Some(note),
        ..spec
    }
}

const SAME_AS_VALUE1: &str = "value1";

/// The registry, in the original service's order.
pub fn registry() -> &'static [OperationSpec] {
    const OPS: &[OperationSpec] = &[
        OperationSpec {
            name: "flip_vertical",
            chinese: "上下翻转",
            description: "Flip upside down.",
            value1: None,
            value2: None,
        },
        OperationSpec {
            name: "flip_horizontal",
            chinese: "左右翻转",
            description: "Mirror left to right.",
            value1: None,
            value2: None,
        },
        OperationSpec {
            name: "rotate",
            chinese: "旋转",
            description: "Rotate about the centre, counter-clockwise, keeping the canvas size (corners outside are black); bilinear.",
            value1: Some(float("angle in degrees, counter-clockwise", -360.0, 360.0, 90.0)),
            value2: None,
        },
        OperationSpec {
            name: "resize",
            chinese: "缩放",
            description: "Scale to a new size; bilinear.",
            value1: Some(int("new width in pixels", 1.0, 8192.0, None)),
            value2: Some(noted(
                int("new height in pixels", 1.0, 8192.0, None),
                "keeps the aspect ratio",
            )),
        },
        OperationSpec {
            name: "crop",
            chinese: "裁剪",
            description: "Cut out the centre; a side larger than the image keeps the image's.",
            value1: Some(int("width in pixels", 1.0, 8192.0, None)),
            value2: Some(noted(int("height in pixels", 1.0, 8192.0, None), SAME_AS_VALUE1)),
        },
        OperationSpec {
            name: "brightness",
            chinese: "亮度调整",
            description: "Multiply every colour sample by a factor (1 keeps the image, 0 is black).",
            value1: Some(float("factor", 0.0, 10.0, 1.0)),
            value2: None,
        },
        OperationSpec {
            name: "contrast",
            chinese: "对比度调整",
            description: "Move samples away from (factor > 1) or towards (factor < 1) the image's mean gray.",
            value1: Some(float("factor", 0.0, 10.0, 1.0)),
            value2: None,
        },
        OperationSpec {
            name: "grayscale",
            chinese: "灰度化",
            description: "Gray from RGB with the BT.601 weights (0.299, 0.587, 0.114); alpha is kept.",
            value1: None,
            value2: None,
        },
        OperationSpec {
            name: "threshold",
            chinese: "二值化",
            description: "Gray, then samples above the threshold become the maximum and the rest 0.",
            value1: Some(int("threshold", 0.0, 255.0, Some(127.0))),
            value2: Some(int("maximum value", 0.0, 255.0, Some(255.0))),
        },
        OperationSpec {
            name: "equalize",
            chinese: "直方图均衡化",
            description: "Spread each channel's histogram over the full range.",
            value1: None,
            value2: None,
        },
        OperationSpec {
            name: "median",
            chinese: "中值滤波",
            description: "Median of a value1 x value2 window (edges repeat the border).",
            value1: Some(odd(int("window width", 1.0, 99.0, Some(3.0)))),
            value2: Some(noted(odd(int("window height", 1.0, 99.0, None)), SAME_AS_VALUE1)),
        },
        OperationSpec {
            name: "mean",
            chinese: "均值滤波",
            description: "Mean of a value1 x value2 window (edges mirror the border).",
            value1: Some(int("window width", 1.0, 99.0, Some(3.0))),
            value2: Some(noted(int("window height", 1.0, 99.0, None), SAME_AS_VALUE1)),
        },
        OperationSpec {
            name: "gaussian",
            chinese: "高斯滤波",
            description: "Gaussian blur with a square kernel (edges mirror the border).",
            value1: Some(odd(int("kernel size", 1.0, 99.0, Some(3.0)))),
            value2: Some(noted(
                float("sigma (0: from the kernel size, as OpenCV)", 0.0, 50.0, 0.0),
                "0",
            )),
        },
        OperationSpec {
            name: "sharpen",
            chinese: "锐化",
            description: "Sharpen with the 3x3 kernel [0,-a,0; -a,1+4a,-a; 0,-a,0].",
            value1: Some(float("amount a", 0.0, 10.0, 1.0)),
            value2: None,
        },
        OperationSpec {
            name: "edges",
            chinese: "边缘检测",
            description: "Canny edge detection on the gray image (white edges on black).",
            value1: Some(float("low hysteresis threshold", 0.0, 2000.0, 100.0)),
            value2: Some(float("high hysteresis threshold", 0.0, 2000.0, 200.0)),
        },
        OperationSpec {
            name: "noise",
            chinese: "添加噪声",
            description: "Add Gaussian noise; the same seed gives the same result.",
            value1: Some(float("standard deviation", 0.0, 255.0, 10.0)),
            value2: Some(int("seed", 0.0, 4_294_967_295.0, Some(0.0))),
        },
    ];
    OPS
}
