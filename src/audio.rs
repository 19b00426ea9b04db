//! Mono audio buffers and small pure functions over them: silence, gain, resampling, loudness, PCM.

use crate::{Error, Result};

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
        Self { samples: vec![0.0; samples_for(seconds, sample_rate)], sample_rate }
    }

    /// Duration in seconds.
    #[must_use]
    pub fn duration(&self) -> f64 {
        if self.sample_rate == 0 { 0.0 } else { self.samples.len() as f64 / f64::from(self.sample_rate) }
    }
}

/// The number of samples `seconds` last at `sample_rate` (rounded; negative or non-finite durations are 0).
#[must_use]
pub fn samples_for(seconds: f64, sample_rate: u32) -> usize {
    if seconds.is_finite() && seconds > 0.0 { (seconds * f64::from(sample_rate)).round() as usize } else { 0 }
}

/// A gain in dB as a linear factor.
#[must_use]
pub fn db_to_gain(db: f64) -> f64 {
    10f64.powf(db / 20.0)
}

/// A linear amplitude in dB (−∞ for 0).
#[must_use]
pub fn gain_to_db(gain: f64) -> f64 {
    20.0 * gain.log10()
}

/// Multiplies every sample by the linear `factor`.
pub fn gain(audio: &mut Audio, factor: f32) {
    for sample in &mut audio.samples {
        *sample *= factor;
    }
}

/// Converts samples to 16-bit PCM, rounding to nearest; values beyond full scale are clamped (callers keep the
/// true peak below full scale, so this never happens in a render).
pub fn to_pcm16(samples: impl IntoIterator<Item = f32>) -> impl Iterator<Item = i16> {
    samples.into_iter().map(|s| (f64::from(s) * 32_767.0).round().clamp(-32_768.0, 32_767.0) as i16)
}

/// Resamples `audio` to `sample_rate` with a band-limited (FFT sinc) resampler; the output length is the input
/// duration at the new rate, without the resampler's delay.
pub fn resample(audio: Audio, sample_rate: u32) -> Result<Audio> {
    use rubato::Resampler as _;
    use rubato::audioadapter_buffers::direct::InterleavedSlice;

    if audio.sample_rate == sample_rate || audio.samples.is_empty() {
        return Ok(Audio { samples: audio.samples, sample_rate });
    }
    let failed =
        |what: String| Error::Audio(format!("cannot resample {} Hz to {sample_rate} Hz: {what}", audio.sample_rate));
    let mut resampler =
        rubato::Fft::<f32>::new(audio.sample_rate as usize, sample_rate as usize, 1024, 1, rubato::FixedSync::Both)
            .map_err(|e| failed(e.to_string()))?;
    let frames = audio.samples.len();
    let input = InterleavedSlice::new(&audio.samples, 1, frames).map_err(|e| failed(e.to_string()))?;
    let output = resampler.process_all(&input, frames, None).map_err(|e| failed(e.to_string()))?;
    Ok(Audio { samples: output.take_data(), sample_rate })
}

/// How loud a clip is, by EBU R128.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Loudness {
    /// Integrated loudness in LUFS; −∞ when the clip has no gated block (shorter than 0.4 s, or silent).
    pub integrated: f64,
    /// True peak as a linear amplitude (1.0 = full scale), 4× oversampled.
    pub true_peak: f64,
}

/// Measures integrated loudness and true peak.
pub fn measure(audio: &Audio) -> Result<Loudness> {
    use ebur128::{EbuR128, Mode};
    let failed = |e: ebur128::Error| Error::Audio(format!("cannot measure loudness: {e}"));
    let mut meter = EbuR128::new(1, audio.sample_rate, Mode::I | Mode::TRUE_PEAK).map_err(failed)?;
    meter.add_frames_f32(&audio.samples).map_err(failed)?;
    let integrated = meter.loudness_global().map_err(failed)?;
    let true_peak = meter.true_peak(0).map_err(failed)?;
    Ok(Loudness { integrated, true_peak })
}

/// Combines the loudness of clips into one figure: the duration-weighted mean of their energies, for clips with
/// a measurable loudness. Pauses are digital silence, which EBU R128's absolute gate leaves out anyway, so this
/// predicts the integrated loudness of the clips played one after another (within a fraction of a LU).
#[must_use]
pub fn combined_loudness(clips: impl IntoIterator<Item = (usize, f64)>) -> Option<f64> {
    let (mut energy, mut length) = (0.0, 0.0);
    for (samples, lufs) in clips {
        if lufs.is_finite() && samples > 0 {
            energy += samples as f64 * 10f64.powf(lufs / 10.0);
            length += samples as f64;
        }
    }
    (length > 0.0).then(|| 10.0 * (energy / length).log10())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(frequency: f64, amplitude: f64, seconds: f64, sample_rate: u32) -> Audio {
        let len = samples_for(seconds, sample_rate);
        let samples = (0..len)
            .map(|i| (amplitude * (std::f64::consts::TAU * frequency * i as f64 / f64::from(sample_rate)).sin()) as f32)
            .collect();
        Audio { samples, sample_rate }
    }

    #[test]
    fn resampling_keeps_duration_and_level() {
        let audio = tone(440.0, 0.5, 1.0, 16_000);
        let out = resample(audio.clone(), 22_050).unwrap();
        assert_eq!(out.sample_rate, 22_050);
        assert!((out.duration() - 1.0).abs() < 0.001, "{}", out.duration());
        let peak = |a: &Audio| a.samples[2000..a.samples.len() - 2000].iter().fold(0f32, |p, s| p.max(s.abs()));
        assert!((peak(&out) - 0.5).abs() < 0.01, "{}", peak(&out));
        let back = resample(out, 16_000).unwrap();
        assert_eq!(back.samples.len(), audio.samples.len());
    }

    #[test]
    fn loudness_follows_gain_and_peak_is_measured() {
        let mut audio = tone(1000.0, 0.1, 2.0, 22_050);
        let before = measure(&audio).unwrap();
        gain(&mut audio, 2.0);
        let after = measure(&audio).unwrap();
        assert!((after.integrated - before.integrated - gain_to_db(2.0)).abs() < 0.05);
        assert!((after.true_peak - 0.2).abs() < 0.005, "{}", after.true_peak);
        let short = measure(&tone(1000.0, 0.1, 0.1, 22_050)).unwrap();
        assert!(short.integrated.is_infinite());
    }

    #[test]
    fn combined_loudness_weights_by_length_and_skips_unmeasurable_clips() {
        assert!((combined_loudness([(100, -20.0), (100, -20.0)]).unwrap() + 20.0).abs() < 1e-9);
        let mixed = combined_loudness([(300, -20.0), (100, f64::NEG_INFINITY), (100, -30.0)]).unwrap();
        assert!(mixed < -20.0 && mixed > -22.0, "{mixed}");
        assert_eq!(combined_loudness([(10, f64::NEG_INFINITY)]), None);
    }

    #[test]
    fn pcm_conversion_rounds_and_clamps() {
        let pcm: Vec<i16> = to_pcm16([0.0, 1.0, -1.0, 2.0, 0.6 / 32_767.0]).collect();
        assert_eq!(pcm, [0, 32_767, -32_767, 32_767, 1]);
        assert_eq!(Audio::silence(0.5, 16_000).samples.len(), 8000);
        assert_eq!(samples_for(f64::NAN, 16_000), 0);
    }
}
