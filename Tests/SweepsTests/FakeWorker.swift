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
        try Self.writeExecutable(text, to: script)
    }

    /// Writes through a close-on-exec descriptor: tests start processes from other threads at the same time, and
    /// a child that inherited a write descriptor to the script would make executing it fail with ETXTBSY.
    static func writeExecutable(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { close(fd) }
        var copy = text
        let written = copy.withUTF8 { write(fd, $0.baseAddress, $0.count) }
        guard written == text.utf8.count else { throw CocoaError(.fileWriteUnknown) }
    }

    /// The (n, p) of every call so far, in order.
    var callLog: [String] {
        ((try? String(contentsOfFile: calls, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
