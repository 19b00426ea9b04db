//! The `audiobook` binary: parse the command line, run it, report errors.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = audiobook::cli::Cli::parse();
    match audiobook::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`audiobook script story.txt | head`) is not a failure.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {}", message(&error));
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes on one line, leaving out causes that a message already puts in words.
fn message(error: &anyhow::Error) -> String {
    let mut message = error.to_string();
    let mut previous: &(dyn std::error::Error + 'static) = error.as_ref();
    for cause in error.chain().skip(1) {
        let said = previous.downcast_ref::<audiobook::Error>().is_some_and(audiobook::Error::describes_source);
        let text = cause.to_string();
        if !said && !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        previous = cause;
    }
    message
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .any(|cause| cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe))
}
