// SPDX-License-Identifier: EUPL-1.2
import Foundation
import GRDB
import SluitsteenArchive
import SluitsteenPolicy
import SluitsteenSupport

/// The moment a command decides "as of": the end of the Amsterdam day `asOf` (23:59:59), or now.
public struct DecisionMoment: Sendable, Equatable {
    public let instant: Instant
    public let date: CivilDate

    public init(asOf: CivilDate?, now: Date) {
        if let asOf {
            instant = AmsterdamTime.instant(date: asOf.adding(days: 1), secondOfDay: 0).adding(seconds: -1)
            date = asOf
        } else {
            instant = Instant(now)
            date = AmsterdamTime.date(of: instant)
        }
    }

    init(instant: Instant) {
        self.instant = instant
        date = AmsterdamTime.date(of: instant)
    }

    /// The moment a destructive command (propose, execute, purge) decides as of: `now`, or the end of an earlier day.
    /// A date after today is refused (``DestroyError/futureRefused(command:asOf:today:)``); today means now (not the
    /// end of the day, when an opt-out window may still be open).
    public static func present(asOf: CivilDate?, now: Date, command: String) throws(DestroyError) -> DecisionMoment {
        let today = AmsterdamTime.date(of: Instant(now))
        guard let asOf, asOf < today else {
            if let asOf, asOf > today { throw .futureRefused(command: command, asOf: asOf.iso, today: today.iso) }
            return DecisionMoment(asOf: nil, now: now)
        }
        return DecisionMoment(asOf: asOf, now: now)
    }

    /// True when `asOf` lies after today: a plan, explanation or export for it is a forecast (vooruitblik).
    public static func isForecast(_ asOf: Instant, now: Date) -> Bool {
        AmsterdamTime.date(of: asOf) > AmsterdamTime.date(of: Instant(now))
    }
}
