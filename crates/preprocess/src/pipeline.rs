//! Running steps in order. `overlap: true` applies a step to the running image and the
//! chain goes on from its output; `overlap: false` applies it to the running image and
//! keeps the output as an extra, augmented copy while the chain goes on without it.

use crate::image::Image;
use crate::ops::Operation;

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub operation: Operation,
    pub overlap: bool,
    pub name: &'static str,
    pub chinese: &'static str,
}

#[derive(Debug, Clone, Default)]
pub struct Pipeline {
    pub steps: Vec<Step>,
}

/// The chained result and the augmented copies, each with its step's index and name.
#[derive(Debug, Clone)]
pub struct PipelineOutput {
    pub main: Image,
    pub extras: Vec<(usize, &'static str, Image)>,
}

impl Pipeline {
    pub fn new(steps: Vec<Step>) -> Self {
        Self { steps }
    }

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
