//! Render progress on stderr: indicatif bars on a terminal (one for the book, one per active scene), plain log lines
//! otherwise, or nothing.

use std::collections::BTreeMap;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressKind {
    /// Progress bars (for a terminal).
    Bars,
    /// One plain line per finished scene and file (for logs).
    Lines,
    /// Nothing.
    Quiet,
}

impl ProgressKind {
    /// Bars when stderr is a terminal, else lines.
    #[must_use]
    pub fn for_stderr() -> Self {
        use std::io::IsTerminal as _;
        if std::io::stderr().is_terminal() { Self::Bars } else { Self::Lines }
    }
}

/// A scene being synthesized: its bar and how many of its lines are left.
struct ActiveScene {
    bar: Option<ProgressBar>,
    left: usize,
    seconds: f64,
}

/// The progress display of one render.
pub(crate) struct Progress {
    kind: ProgressKind,
    multi: MultiProgress,
    book: Option<ProgressBar>,
    /// Lines to synthesize per (chapter, scene).
    totals: BTreeMap<(usize, usize), usize>,
    active: BTreeMap<(usize, usize), ActiveScene>,
    seconds: f64,
}

fn style(template: &str) -> ProgressStyle {
    // The templates are constants of this module; a bad one would show up in the first test run.
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

impl Progress {
    /// Progress over `totals` lines to synthesize per (chapter, scene).
    pub(crate) fn new(kind: ProgressKind, totals: BTreeMap<(usize, usize), usize>) -> Self {
        let multi = MultiProgress::with_draw_target(match kind {
            ProgressKind::Bars => ProgressDrawTarget::stderr(),
            ProgressKind::Lines | ProgressKind::Quiet => ProgressDrawTarget::hidden(),
        });
        let total: usize = totals.values().sum();
        let book = (kind == ProgressKind::Bars && total > 0).then(|| {
            let bar = multi.add(ProgressBar::new(total as u64));
            bar.set_style(style("book  {bar:30} {pos}/{len} lines  {msg}  ETA {eta}"));
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Self { kind, multi, book, totals, active: BTreeMap::new(), seconds: 0.0 }
    }

    /// A line of `(chapter, scene)` started.
    pub(crate) fn started(&mut self, scene: (usize, usize)) {
        if self.active.contains_key(&scene) {
            return;
        }
        let left = self.totals.get(&scene).copied().unwrap_or(0);
        let bar = (self.kind == ProgressKind::Bars).then(|| {
            let bar = self.multi.add(ProgressBar::new(left as u64));
            bar.set_style(style("  chapter {prefix}  {bar:20} {pos}/{len}"));
            bar.set_prefix(format!("{}, scene {}", scene.0 + 1, scene.1 + 1));
            bar
        });
        self.active.insert(scene, ActiveScene { bar, left, seconds: 0.0 });
    }

    /// A line of `(chapter, scene)` is done, with `seconds` of audio.
    pub(crate) fn done(&mut self, scene: (usize, usize), seconds: f64) {
        self.seconds += seconds;
        if let Some(book) = &self.book {
            book.inc(1);
            book.set_message(format!("{} of audio", clock(self.seconds)));
        }
        let Some(active) = self.active.get_mut(&scene) else { return };
        active.left = active.left.saturating_sub(1);
        active.seconds += seconds;
        if let Some(bar) = &active.bar {
            bar.inc(1);
        }
        if active.left == 0 {
            if let Some(bar) = &active.bar {
                bar.finish_and_clear();
                self.multi.remove(bar);
            }
            let lines = self.totals.get(&scene).copied().unwrap_or(0);
            if self.kind == ProgressKind::Lines {
                eprintln!(
                    "chapter {}, scene {}: {lines} line{} synthesized ({} of audio)",
                    scene.0 + 1,
                    scene.1 + 1,
                    if lines == 1 { "" } else { "s" },
                    clock(active.seconds)
                );
            }
            self.active.remove(&scene);
        }
    }

    /// A message: printed above the bars, as a log line, or not at all.
    pub(crate) fn message(&self, text: &str) {
        match self.kind {
            ProgressKind::Bars => {
                let _ = self.multi.println(text);
            }
            ProgressKind::Lines => eprintln!("{text}"),
            ProgressKind::Quiet => {}
        }
    }

    /// Removes the bars.
    pub(crate) fn finish(&mut self) {
        if let Some(book) = self.book.take() {
            book.finish_and_clear();
        }
        for (_, scene) in std::mem::take(&mut self.active) {
            if let Some(bar) = scene.bar {
                bar.finish_and_clear();
            }
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// A duration as `H:MM:SS` or `M:SS`.
#[must_use]
pub fn clock(seconds: f64) -> String {
    let total = seconds.max(0.0).round() as u64;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m}:{s:02}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_reads_like_a_player() {
        assert_eq!(clock(0.4), "0:00");
        assert_eq!(clock(61.0), "1:01");
        assert_eq!(clock(3725.0), "1:02:05");
    }

    #[test]
    fn scenes_finish_when_their_lines_are_done() {
        let mut progress = Progress::new(ProgressKind::Quiet, BTreeMap::from([((0, 0), 2), ((0, 1), 1)]));
        progress.started((0, 0));
        progress.started((0, 1));
        progress.done((0, 0), 1.0);
        assert_eq!(progress.active.len(), 2);
        progress.done((0, 0), 1.0);
        progress.done((0, 1), 1.0);
        assert!(progress.active.is_empty());
        assert!((progress.seconds - 3.0).abs() < 1e-9);
    }
}
