/// A learned vector per class, added to the hidden state; row C of the table is the "no label" class used for
/// classifier-free guidance.
///
/// Shapes: labels [B] in 0…C, table [(C+1)×W], h [B×W].
public enum ClassEmbedding {
    /// Adds table[label] into each row of h.
    public static func forward(_ h: UnsafeMutablePointer<Float>, labels: UnsafePointer<Int32>,
                               _ table: UnsafePointer<Float>, rows: Int, width: Int) {
        for r in 0..<rows {
            let t = table + Int(labels[r]) * width, hr = h + r * width
            for j in 0..<width { hr[j] += t[j] }
        }
    }

    /// Adds each row of dh into dtable[label].
    public static func backward(_ dtable: UnsafeMutablePointer<Float>, _ dh: UnsafePointer<Float>,
                                labels: UnsafePointer<Int32>, rows: Int, width: Int) {
        for r in 0..<rows {
            let t = dtable + Int(labels[r]) * width, dr = dh + r * width
            for j in 0..<width { t[j] += dr[j] }
        }
    }
}
