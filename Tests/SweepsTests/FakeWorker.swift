import Foundation

/// A shell script standing in for `genwindow train --headless`: it parses --n, --p/--width and --out, logs its
/// call, writes a valid run file and ends it "completed". `extra` runs after the header is written (with $n,
/// $p, $out and $calls set), so a test can make a cell crash, hang or fail.
struct FakeWorker {
    let directory: String
    let script: String
    let calls: String

    init(extra: String = "") throws {
        directory = NSTemporaryDirectory() + "genwindow-sweep-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        script = directory + "/fake-genwindow"
        calls = directory + "/calls"
        let text = """
        #!/bin/sh
        calls='\(calls)'
        out=; n=; p=
        while [ $# -gt 0 ]; do
          case "$1" in
            --out) out=$2; shift ;;
            --n) n=$2; shift ;;
            --p|--width) p=$2; shift ;;
            --steps) steps=$2; shift ;;
            --bogus) echo "Error: Unknown option '--bogus'" >&2; exit 64 ;;
          esac
          shift
        done
        echo "$n $p threads=$OPENBLAS_NUM_THREADS" >> "$calls"
        printf '{"type":"header","format":"genwindow-run","version":1,"created":"2026-01-01T00:00:00Z","model":"rf","config":{"n":%s,"p":%s}}\\n' "$n" "$p" > "$out"
        \(extra)
        printf '{"type":"metrics","step":10,"time_s":0.1,"test_loss":0.5}\\n' >> "$out"
        printf '{"type":"end","step":10,"reason":"completed"}\\n' >> "$out"

        """
        try text.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
    }

    /// The (n, p) of every call so far, in order.
    var callLog: [String] {
        ((try? String(contentsOfFile: calls, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
