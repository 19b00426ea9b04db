//! Varying a Piper voice after inference: a pitch shift that keeps duration, and gain.
//!
//! Speed is not done here: it is the model's own `length_scale`, which changes phoneme durations naturally.

use ssstretch::Stretch;

/// Highest peak allowed after gain; louder audio is scaled down to it.
pub const PEAK_LIMIT: f32 = 0.97;

/// Shifts the pitch of `samples` by `semitones` without changing their duration (Signalsmith Stretch), so one
/// single-speaker voice can play several characters. Shifts under a hundredth of a semitone are left out.
#[must_use]
pub fn shift_pitch(samples: &[f32], sample_rate: u32, semitones: f32) -> Vec<f32> {
    if !semitones.is_finite() || semitones.abs() < 0.01 || samples.is_empty() || sample_rate == 0 {
        return samples.to_vec();
    }
    let mut stretch = Stretch::new();
    stretch.preset_default(1, sample_rate as f32);
    stretch.set_transpose_semitones(semitones.clamp(-12.0, 12.0), None);
    let input_latency = stretch.input_latency().max(0) as usize;
    let output_latency = stretch.output_latency().max(0) as usize;
    let length = samples.len();

    // Offline use, as the library's own command-line tool does: pre-roll the first `input_latency` samples,
    // process the whole signal (padded with silence to read ahead), then flush the tail and drop the output
    // latency from the start, so the result lines up with the input sample for sample.
    let mut input = Vec::with_capacity(length + input_latency);
    input.extend_from_slice(samples);
    input.resize(length + input_latency, 0.0);
    let mut output = vec![0.0f32; length + output_latency];
    let pre_roll = input_latency.min(input.len());
    // SAFETY: one channel; each pointer covers at least the number of samples passed with it: the pre-roll
    // reads `pre_roll <= input.len()` samples, the process call reads `length` samples from offset
    // `input_latency` (the input is `length + input_latency` long) and writes `length` into `output`, and the
    // flush writes `output_latency` samples from offset `length` (the output is `length + output_latency` long).
    unsafe {
        stretch.seek(&[input.as_ptr()], pre_roll as i32, 1.0);
        stretch.process(&[input.as_ptr().add(input_latency)], length as i32, &mut [output.as_mut_ptr()], length as i32);
        stretch.flush(&mut [output.as_mut_ptr().add(length)], output_latency as i32);
    }
    output.drain(..output_latency);
    output
}

/// Applies `volume_db` of gain and keeps the peak at or below [`PEAK_LIMIT`].
pub fn apply_gain(samples: &mut [f32], volume_db: f32) {
    let gain = if volume_db.is_finite() { 10f32.powf(volume_db / 20.0) } else { 1.0 };
    let peak = samples.iter().fold(0f32, |peak, s| peak.max(s.abs())) * gain;
    let gain = if peak > PEAK_LIMIT { gain * PEAK_LIMIT / peak } else { gain };
    if (gain - 1.0).abs() > f32::EPSILON {
        for sample in samples {
            *sample *= gain;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dominant frequency of a signal, by counting upward zero crossings.
    fn frequency(samples: &[f32], sample_rate: u32) -> f32 {
        let crossings = samples.windows(2).filter(|w| w[0] < 0.0 && w[1] >= 0.0).count();
        crossings as f32 * sample_rate as f32 / samples.len() as f32
    }

    fn tone(hz: f32, seconds: f32, sample_rate: u32) -> Vec<f32> {
        let n = (seconds * sample_rate as f32) as usize;
        (0..n).map(|i| 0.5 * (std::f32::consts::TAU * hz * i as f32 / sample_rate as f32).sin()).collect()
    }

    #[test]
    fn pitch_shift_keeps_duration_and_moves_frequency() {
        let rate = 22_050;
        let input = tone(200.0, 1.0, rate);
        for (semitones, expected) in
            [(12.0, 400.0), (-5.0, 200.0 * 2f32.powf(-5.0 / 12.0)), (3.0, 200.0 * 2f32.powf(0.25))]
        {
            let output = shift_pitch(&input, rate, semitones);
            assert_eq!(output.len(), input.len());
            // Measure away from the edges, where the stretcher fades in and out.
            let middle = &output[rate as usize / 5..rate as usize * 4 / 5];
            let measured = frequency(middle, rate);
            assert!((measured / expected - 1.0).abs() < 0.03, "{semitones}: {measured} Hz, expected {expected}");
        }
        assert_eq!(shift_pitch(&input, rate, 0.0), input);
    }

    #[test]
    fn gain_is_in_decibels_and_limited() {
        let mut quiet = vec![0.1, -0.1];
        apply_gain(&mut quiet, 6.0);
        assert!((quiet[0] - 0.1995).abs() < 1e-3, "{quiet:?}");
        let mut loud = vec![0.5, -0.9];
        apply_gain(&mut loud, 12.0);
        assert!((loud[1] + PEAK_LIMIT).abs() < 1e-6, "{loud:?}");
    }
}
