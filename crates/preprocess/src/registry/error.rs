//! What is wrong with one step of a request: for people, and as a machine code.

use common::ErrorCode;

/// What is wrong with one step: its index in the request, the field and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("operation {index}, {field}: {message}")]
pub struct StepError {
    /// The step's position in the slice given to [`parse_steps`](crate::parse_steps).
    pub index: usize,
    /// The field at fault: `operationName`, `value1` or `value2`.
    pub field: &'static str,
    /// Why, for people: it names the operation, the value and the accepted range.
    pub message: String,
    /// Which case this is, for [`ErrorCode::code`].
    pub(super) problem: Problem,
}

/// The cases of [`StepError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Problem {
    /// No operation name.
    OperationRequired,
    /// A name that is not in the registry.
    UnknownOperation,
    /// A value outside its range (or not finite).
    ValueOutOfRange,
    /// A fraction where a whole number is needed.
    ValueNotInteger,
    /// An even window side.
    ValueNotOdd,
    /// A value the operation needs, left out.
    ValueRequired,
}

impl ErrorCode for StepError {
    fn code(&self) -> &'static str {
        match self.problem {
            Problem::OperationRequired => "step_operation_required",
            Problem::UnknownOperation => "step_unknown_operation",
            Problem::ValueOutOfRange => "step_value_out_of_range",
            Problem::ValueNotInteger => "step_value_not_integer",
            Problem::ValueNotOdd => "step_value_not_odd",
            Problem::ValueRequired => "step_value_required",
        }
    }
}
