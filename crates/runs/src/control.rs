//! Pause, resume and stop requests for a run's thread, checked between steps.

use std::sync::{Condvar, Mutex, PoisonError};

/// What the user asked the run to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// Keep training.
    Go,
    /// Hold between steps.
    Pause,
    /// End, keeping a checkpoint.
    Stop,
    /// The server is shutting down: checkpoint where it is and end as interrupted, to
    /// be resumed by the next server. Never asked by users, never stored.
    Interrupt,
}

impl Request {
    /// `go`, `pause` or `stop`, as workers are told.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Go => "go",
            Self::Pause => "pause",
            Self::Stop => "stop",
            Self::Interrupt => "interrupt",
        }
    }

    /// Reads [`Request::as_str`]'s names.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Go, Self::Pause, Self::Stop, Self::Interrupt]
            .into_iter()
            .find(|r| r.as_str() == name)
    }
}

/// Shared between the request handlers and the run's thread.
#[derive(Debug)]
pub struct Control {
    request: Mutex<Request>,
    changed: Condvar,
}

impl Default for Control {
    fn default() -> Self {
        Self {
            request: Mutex::new(Request::Go),
            changed: Condvar::new(),
        }
    }
}

impl Control {
    /// Asks the run to pause, resume (`Go`), stop or be interrupted. A stop or an
    /// interruption is final.
    pub fn set(&self, request: Request) {
        let mut current = self.request.lock().unwrap_or_else(PoisonError::into_inner);
        if !matches!(*current, Request::Stop | Request::Interrupt) {
            *current = request;
        }
        self.changed.notify_all();
    }

    /// The current request.
    pub fn get(&self) -> Request {
        *self.request.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Blocks while paused; returns `Go`, `Stop` or `Interrupt`.
    pub fn wait_while_paused(&self) -> Request {
        let mut current = self.request.lock().unwrap_or_else(PoisonError::into_inner);
        while *current == Request::Pause {
            current = self.changed.wait(current).unwrap_or_else(PoisonError::into_inner);
        }
        *current
    }
}
