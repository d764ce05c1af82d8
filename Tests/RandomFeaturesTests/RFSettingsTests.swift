import RandomFeatures
import RunFormat
import Testing
import Training

/// The RF settings a header records come back from it: a job built from `RFSettings(header:)` writes the same
/// header config, the learning rate now fixed at the resolved η (GD with warm-up; Adam by steps with draws noise;
/// the generative mode).
@Suite struct RFSettingsTests {
    static func job(_ setting: RFSetting, _ plan: RFTrainingPlan) throws -> RFTrainingJob {
        try RFTrainingJob(setting: setting, plan: plan, created: "2026-01-01T00:00:00Z")
    }

    @Test func rfSettingsComeBackFromTheirHeader() throws {
        let gd = (RFSetting(d: 4, p: 24, n: 6, t: 0.1, sigmaX: 1.5, seed: 3), RFTrainingPlan())
        var adam = (RFSetting(d: 3, p: 16, n: 5, t: 0.2, noise: .draws(4, testPoints: 7), hermiteOrder: 6, seed: 9),
                    RFTrainingPlan())
        adam.1.optimizer = .adam
        adam.1.lr = 0.01
        adam.1.steps = 40
        adam.1.evalPerDecade = 7
        var generative = (RFSetting(d: 2, p: 12, n: 6, t: 0.1, seed: 1), RFTrainingPlan())
        var g = RFGenerativePlan()
        g.times = 3
        g.samples = 10
        g.referenceSize = 12
        g.sharing = .independent
        g.sampler = .sde
        g.memorizationK = 0.25
        generative.1.generative = g
        generative.1.tauMax = 50
        generative.1.stopWhen = StopRule(name: "fid-min", patience: 4, minDelta: 0.5)
        adam.1.stopWhen = .tauMem
        for (setting, plan) in [gd, adam, generative] {
            let header = try Self.job(setting, plan).header
            let back = try RFSettings(header: header)
            #expect(back.setting == setting)
            #expect(back.plan.optimizer == plan.optimizer && back.plan.steps == plan.steps && back.plan.stopWhen == plan.stopWhen)
            #expect(RFSettings.dataName(header: header) == nil)
            // The resumed plan fixes the learning rate at the resolved η, so only the rule's wording may differ.
            #expect(back.plan.lr == header.config["lr"]?.double)
            var again = try Self.job(back.setting, back.plan).header.config, original = header.config
            #expect(again["lr_rule"]?.string == "fixed")
            again["lr_rule"] = nil
            original["lr_rule"] = nil
            #expect(again == original)
        }
        #expect(throws: TrainingStateError.self) {
            try RFSettings(header: RunHeader(created: "2026-01-01T00:00:00Z", model: "ddpm", config: [:]))
        }
    }
}
