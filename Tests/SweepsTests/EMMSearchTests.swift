import Sweeps
import Testing

@Suite("EMM search")
struct EMMSearchTests {
    /// Drives the search with a monotone oracle until it ends.
    func search(_ s: EMMSearch, oracle: (Int) -> Double) -> EMMSearch {
        var s = s
        var guardCount = 0
        while let n = s.nextProbe, guardCount < 200 {
            s.record(n: n, ratio: oracle(n))
            guardCount += 1
        }
        return s
    }

    @Test("finds the largest memorizing n exactly with zero tolerance", arguments: [1, 2, 63, 64, 65, 137, 1000, 4095])
    func exact(emm: Int) {
        // Ratio falls smoothly with n and crosses 1 − ε = 0.9 just above n = emm.
        let oracle = { (n: Int) in n <= emm ? 0.95 - 0.01 * Double(n) / Double(emm) : 0.5 * Double(emm) / Double(n) }
        let s = search(EMMSearch(epsilon: 0.1, start: 64, nMin: 1, nMax: 4096, tolerance: 0), oracle: oracle)
        #expect(s.outcome == .estimate(n: emm, above: emm + 1))
        #expect(s.probes.count < 30)
        // Bracketing steps are geometric: the first probes go 64, then ×2 or ÷2.
        if s.probes.count > 1 {
            let ratio = Double(s.probes[1].n) / Double(s.probes[0].n)
            #expect(ratio == 2 || ratio == 0.5)
        }
    }

    @Test("a relative tolerance stops early with a bracket containing the answer")
    func tolerance() {
        let emm = 1234
        let s = search(EMMSearch(epsilon: 0.1, start: 64, tolerance: 0.05)) { $0 <= emm ? 1.0 : 0.0 }
        guard case .estimate(let n, let above)? = s.outcome else { Issue.record("no estimate"); return }
        #expect(n <= emm && emm < above)
        #expect(Double(above - n) <= 0.05 * Double(n))
        let exact = search(EMMSearch(epsilon: 0.1, start: 64, tolerance: 0)) { $0 <= emm ? 1.0 : 0.0 }
        #expect(s.probes.count < exact.probes.count)
    }

    @Test("ε sets the memorization cut: ratio ≥ 1 − ε")
    func epsilonCut() {
        let s = EMMSearch(epsilon: 0.1, start: 10)
        #expect(s.memorizes(0.9))
        #expect(!s.memorizes(0.8999))
    }

    @Test("out-of-range answers are reported as bounds")
    func bounds() {
        let never = search(EMMSearch(epsilon: 0.1, start: 16, nMin: 4, nMax: 256)) { _ in 0.2 }
        #expect(never.outcome == .belowRange(nMin: 4))
        #expect(never.probes.map(\.n) == [16, 8, 4])
        let always = search(EMMSearch(epsilon: 0.1, start: 16, nMin: 4, nMax: 100)) { _ in 1.0 }
        #expect(always.outcome == .aboveRange(nMax: 100))
        #expect(always.probes.map(\.n) == [16, 32, 64, 100])
    }
}
