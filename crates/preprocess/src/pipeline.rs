//! Running steps in order. `overlap: true` applies a step to the running image and the
//! chain goes on from its output; `overlap: false` applies it to the running image and
//! keeps the output as an extra, augmented copy while the chain goes on without it.

use crate::image::Image;
use crate::ops::Operation;

/// One checked step, as [`parse_steps`](crate::parse_steps) makes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// What to do, with its values.
    pub operation: Operation,
    /// `true`: the chain goes on from this step's output; `false`: the output is an
    /// extra copy and the chain goes on from this step's input.
    pub overlap: bool,
    /// The operation's English name; names the extra copy's file.
    pub name: &'static str,
    /// The operation's Chinese name.
    pub chinese: &'static str,
}

/// Steps to run in order over each picture.
#[derive(Debug, Clone, Default)]
pub struct Pipeline {
    steps: Vec<Step>,
}

/// The chained result and the augmented copies, each with its step's index and name.
#[derive(Debug, Clone)]
pub struct PipelineOutput {
    /// The picture after every overlapping step (the input where there are none).
    pub main: Image,
    /// Each non-overlapping step's output: its index among the steps, its English
    /// name and the picture, in step order.
    pub extras: Vec<(usize, &'static str, Image)>,
}

impl Pipeline {
    /// A pipeline of these steps, first to last.
    pub fn new(steps: Vec<Step>) -> Self {
        Self { steps }
    }

    /// Runs every step over `input` (which is left as it is).
    pub fn run(&self, input: &Image) -> PipelineOutput {
        let mut running: Option<Image> = None;
        let mut extras = Vec::new();
        for (index, step) in self.steps.iter().enumerate() {
            let output = step.operation.apply(running.as_ref().unwrap_or(input));
            if step.overlap {
                running = Some(output);
            } else {
                extras.push((index, step.name, output));
            }
        }
        PipelineOutput {
            main: running.unwrap_or_else(|| input.clone()),
            extras,
        }
    }

    /// Pictures each input yields: the main one and one per augmented copy.
    pub fn outputs_per_image(&self) -> usize {
        1 + self.steps.iter().filter(|s| !s.overlap).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(operation: Operation, overlap: bool) -> Step {
        Step {
            operation,
            overlap,
            name: "op",
            chinese: "op",
        }
    }

    fn picture() -> Image {
        let mut image = Image::new(6, 4, 1);
        for (i, v) in image.data.iter_mut().enumerate() {
            *v = (i * 10) as u8;
        }
        image
    }

    #[test]
    fn overlap_chains_and_copies_branch_from_the_running_image() {
        let input = picture();
        let pipeline = Pipeline::new(vec![
            step(Operation::FlipVertical, true),
            step(Operation::Brightness { factor: 0.5 }, false),
            step(Operation::FlipHorizontal, true),
            step(
                Operation::Threshold {
                    threshold: 100,
                    max_value: 255,
                },
                false,
            ),
        ]);
        let out = pipeline.run(&input);
        let flipped = Operation::FlipVertical.apply(&input);
        let both = Operation::FlipHorizontal.apply(&flipped);
        assert!(out.main == both);
        assert_eq!(out.extras.len(), 2);
        assert_eq!(out.extras[0].0, 1);
        assert!(out.extras[0].2 == Operation::Brightness { factor: 0.5 }.apply(&flipped));
        assert!(
            out.extras[1].2
                == Operation::Threshold {
                    threshold: 100,
                    max_value: 255
                }
                .apply(&both)
        );
        assert_eq!(pipeline.outputs_per_image(), 3);
    }

    #[test]
    fn only_copies_leave_the_main_picture_unchanged() {
        let input = picture();
        let out = Pipeline::new(vec![step(Operation::FlipVertical, false)]).run(&input);
        assert!(out.main == input);
        assert_eq!(out.extras.len(), 1);
    }
}
