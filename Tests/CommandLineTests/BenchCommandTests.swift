import Foundation
import Testing
import TestSupport

/// `genwindow bench` case selection: a filter that is a whole case name picks just that case (not the `_t1`/`_t2`
/// thread variants it is a prefix of), its reference GEMMs come along unless `--alone`.
@Suite struct BenchCommandTests {
    static func caseNames(_ arguments: [String]) throws -> [String] {
        let outcome = try runGenwindow(["bench", "--json", "--seconds", "0.01"] + arguments)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        let cases = try #require(object?["cases"] as? [[String: Any]])
        return cases.compactMap { $0["name"] as? String }
    }

    @Test func wholeNameSelectsOneCaseWithItsReference() throws {
        #expect(try Self.caseNames(["--filter", "ddpm_train_step_d64_w512_b128"])
            == ["sgemm_ddpm_step_d64_w512_b128", "ddpm_train_step_d64_w512_b128"])
    }

    @Test func aloneLeavesTheReferenceOut() throws {
        #expect(try Self.caseNames(["--filter", "ddpm_train_step_d64_w512_b128", "--alone"])
            == ["ddpm_train_step_d64_w512_b128"])
    }

    /// genwindow re-executes itself once so that OpenBLAS loads with a short worker spin, unless the user set one.
    @Test(arguments: [nil, "24"])
    func openBLASLoadsWithTheWorkerSpinTime(userValue: String?) throws {
        let outcome = try runGenwindow(["bench", "--json", "--seconds", "0.01", "--filter", "render_frame_120x36"],
                                       environment: userValue.map { ["OPENBLAS_THREAD_TIMEOUT": $0] } ?? [:])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        let machine = try #require(object?["machine"] as? [String: Any])
        let inherited = ProcessInfo.processInfo.environment["OPENBLAS_THREAD_TIMEOUT"]
        #expect(machine["blas_thread_timeout"] as? String == (userValue ?? inherited ?? "20"))
    }

    @Test func partOfANameSelectsEveryCaseHoldingIt() throws {
        let names = try Self.caseNames(["--filter", "ddpm_train_step_d64_w512_b128_t", "--alone"])
        #expect(names == ["ddpm_train_step_d64_w512_b128_t1", "ddpm_train_step_d64_w512_b128_t2"])
    }
}
