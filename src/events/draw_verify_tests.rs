//! docs/verify-draw.py run on draws of every rule, a silent witness, and tampered copies:
//! the script a student runs agrees with the portal, and catches a changed byte.

use std::{path::Path, process::Command};

use super::tests::{entry, example_draw, example_entries, PHYSICS};
use super::*;

/// Runs docs/verify-draw.py on a draw written as JSON; true when it reproduces the draw.
fn python_verifies(draw: &Draw, dir: &Path, name: &str) -> Result<bool, Box<dyn std::error::Error>> {
    let file = dir.join(name);
    std::fs::write(&file, serde_json::to_string_pretty(draw)?)?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/verify-draw.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("python3 is needed to run docs/verify-draw.py in this test (CI has it): {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    match out.status.code() {
        Some(0) => assert!(stdout.contains("OK: the draw is reproduced"), "{stdout}"),
        Some(1) => assert!(stdout.contains("DIFFERS") || !out.stderr.is_empty(), "{stdout}"),
        other => panic!("verify-draw.py exited with {other:?}: {stdout}{}", String::from_utf8_lossy(&out.stderr)),
    }
    Ok(out.status.success())
}

#[test]
fn the_python_verifier_reproduces_a_draw_and_catches_tampering() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let mut entries = example_entries();
    entries.push(entry(1001, "Law, Politics"));
    for rule in [QuotaRule::OnePerCollege, QuotaRule::Proportional, QuotaRule::None] {
        let draw = example_draw(rule, &entries);
        assert!(python_verifies(&draw, dir.path(), "draw.json")?, "{rule:?}");
    }
    let mut draw = example_draw(QuotaRule::OnePerCollege, &entries);
    draw.commitments.push(Commitment { witness: "w3".into(), commitment: sha256_hex("kept"), secret: None });
    assert!(python_verifies(&draw, dir.path(), "silent-witness.json")?);

    let mut swapped = draw.clone();
    swapped.selected.swap(0, 1);
    assert!(!python_verifies(&swapped, dir.path(), "swapped.json")?);
    let mut edited = draw.clone();
    edited.pool = edited.pool.replace("A005,化学学院", "A005,物理学院");
    assert!(!python_verifies(&edited, dir.path(), "edited.json")?);
    let mut secret = draw.clone();
    secret.commitments[0].secret = Some("alpha-7f3f".into());
    assert!(!python_verifies(&secret, dir.path(), "secret.json")?);
    let mut quota = draw;
    quota.quotas.insert(PHYSICS.to_owned(), 2);
    assert!(!python_verifies(&quota, dir.path(), "quota.json")?);
    Ok(())
}
