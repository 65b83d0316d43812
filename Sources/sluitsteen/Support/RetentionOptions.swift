// SPDX-License-Identifier: EUPL-1.2
import ArgumentParser
import Foundation
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenRetention

/// `--policy FILE`: the policy to decide with (else the workspace's policy.toml, else the shipped default).
struct PolicyOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Policy file (TOML) to decide with.", valueName: "FILE"))
    var policy: String?

    func resolve(_ workspace: Workspace?) throws -> PolicyInForce {
        try attempt { try PolicyInForce.resolve(explicit: policy, workspace: workspace) }
    }
}

/// `--as-of D`: the date to decide as of (end of that day in Europe/Amsterdam); default: now. A date after today makes
/// the output a forecast (vooruitblik), and it says so.
struct AsOfOptions: ParsableArguments {
    @Option(name: .customLong("as-of"), help: ArgumentHelp(
        "Decide as of this date (YYYY-MM-DD, end of the day in Amsterdam); default: now. A later date than today gives a forecast (vooruitblik).",
        valueName: "D"))
    var asOf: String?

    func instant(_ workspace: Workspace) throws -> Instant {
        if let asOf {
            guard let date = CivilDate(iso: asOf) else { throw CLIError("--as-of '\(asOf)' is not a date (expected YYYY-MM-DD)") }
            return AmsterdamTime.instant(date: date.adding(days: 1), secondOfDay: 0).adding(seconds: -1)
        }
        return Instant(workspace.clock.now())
    }

    /// Today on the workspace's clock when `instant` lies after it (the output is then a forecast), else nil.
    func forecastToday(_ instant: Instant, _ workspace: Workspace) -> CivilDate? {
        let today = AmsterdamTime.date(of: Instant(workspace.clock.now()))
        return Forecast.isForecast(asOf: AmsterdamTime.date(of: instant), today: today) ? today : nil
    }
}

/// Parses a YYYY-MM-DD option value.
func civilDate(_ text: String?, option: String) throws -> CivilDate? {
    guard let text else { return nil }
    guard let d = CivilDate(iso: text) else { throw CLIError("\(option) '\(text)' is not a date (expected YYYY-MM-DD)") }
    return d
}

/// Splits a comma-separated option value.
func list(_ values: [String]) -> [String] {
    values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
