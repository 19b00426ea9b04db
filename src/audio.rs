//! Mono audio buffers and small pure functions over them.

/// Mono audio: samples in -1.0..=1.0 at a sample rate in Hz.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Audio {
    /// The samples.
    pub samples: Vec<f32>,
    /// Samples per second.
    pub sample_rate: u32,
}

impl Audio {
    /// Silence of `seconds` at `sample_rate`.
    #[must_use]
    pub fn silence(seconds: f64, sample_rate: u32) -> Self {
        Self { samples: vec![0.0; (seconds * f64::from(sample_rate)).round() as usize], sample_rate }
    }

    /// Duration in seconds.
    #[must_use]
    pub fn duration(&self) -> f64 {
        if self.sample_rate == 0 { 0.0 } else { self.samples.len() as f64 / f64::from(self.sample_rate) }
    }
}
