//! The published formula: six measured components, each `points = value × weight`, and
//! the score is their sum. The weights are configuration (`config::RatingConfig`).

use baqylau_wire::ratings::{FormulaComponent, RatingComponent, RatingFormula};

use crate::config::RatingConfig;

/// What was measured for one deputy in one month.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Measures {
    pub appeals_on_time: i64,
    pub appeals_overdue: i64,
    pub receptions_attended: i64,
    pub indicators_done: i64,
    pub indicators_overdue: i64,
    /// Sum and number of citizens' ratings (1–5) submitted in the month.
    pub satisfaction_sum: i64,
    pub satisfaction_count: i64,
}

/// The neutral citizens' rating: means above it add points, below it take them away.
pub const NEUTRAL_SATISFACTION: f64 = 3.0;

const DESCRIPTIONS: [(&str, &str); 6] = [
    ("appeals_on_time", "Appeals assigned to the deputy and closed in the month on or before their deadline in force (extended_due_on, else due_on), by the Asia/Almaty date."),
    ("appeals_overdue", "Appeals assigned to the deputy whose deadline in force fell in the month (and has passed) and that were not closed by it."),
    ("receptions_attended", "Mobile receptions held in the month (by planned start) with the deputy among the participants."),
    ("indicators_done", "Road-map indicators the deputy answers for, due in the month, with status done."),
    ("indicators_overdue", "Road-map indicators the deputy answers for, due in the month (and past due), neither done nor cancelled."),
    ("satisfaction", "Citizens' mean rating (1-5) of outcomes submitted in the month through feedback links, minus 3; 0 when none was submitted."),
];

fn weights(cfg: &RatingConfig) -> [f64; 6] {
    [
        cfg.appeal_on_time,
        cfg.appeal_overdue,
        cfg.reception,
        cfg.indicator_done,
        cfg.indicator_overdue,
        cfg.satisfaction,
    ]
}

/// Two decimals; `+ 0.0` turns a negative zero (0 × a negative weight) into 0.
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0 + 0.0
}

/// `GET /ratings/formula`.
pub fn formula(cfg: &RatingConfig) -> RatingFormula {
    RatingFormula {
        description: "score = sum of points; points = value × weight for each component \
                      (rounded to 2 decimals). A finished month is stored once and changes \
                      only through an audited recompute."
            .to_owned(),
        components: DESCRIPTIONS
            .iter()
            .zip(weights(cfg))
            .map(|((name, description), weight)| FormulaComponent {
                name: (*name).to_owned(),
                weight,
                description: (*description).to_owned(),
            })
            .collect(),
        recall_threshold: cfg.recall_threshold,
    }
}

/// The score and its components.
pub fn score(m: &Measures, cfg: &RatingConfig) -> (f64, Vec<RatingComponent>) {
    let satisfaction = match m.satisfaction_count {
        0 => 0.0,
        n => round2(m.satisfaction_sum as f64 / n as f64 - NEUTRAL_SATISFACTION),
    };
    let values = [
        m.appeals_on_time as f64,
        m.appeals_overdue as f64,
        m.receptions_attended as f64,
        m.indicators_done as f64,
        m.indicators_overdue as f64,
        satisfaction,
    ];
    let components: Vec<RatingComponent> = DESCRIPTIONS
        .iter()
        .zip(weights(cfg))
        .zip(values)
        .map(|(((name, _), weight), value)| RatingComponent {
            name: (*name).to_owned(),
            value,
            weight,
            points: round2(value * weight),
        })
        .collect();
    let total = round2(components.iter().map(|c| c.points).sum());
    (total, components)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_score_is_the_sum_of_value_times_weight() {
        let m = Measures {
            appeals_on_time: 4,
            appeals_overdue: 1,
            receptions_attended: 2,
            indicators_done: 1,
            indicators_overdue: 1,
            satisfaction_sum: 9,
            satisfaction_count: 2,
        };
        let (total, parts) = score(&m, &RatingConfig::default());
        // 4×2 − 1×3 + 2×5 + 1×3 − 1×4 + (4.5 − 3)×5 = 8 − 3 + 10 + 3 − 4 + 7.5
        assert_eq!(total, 21.5);
        assert_eq!(parts.len(), 6);
        assert_eq!(parts[5].value, 1.5);
        assert_eq!(parts[5].points, 7.5);
        let (empty, _) = score(&Measures::default(), &RatingConfig::default());
        assert_eq!(empty, 0.0);
        let (_, zero) = score(&Measures::default(), &RatingConfig::default());
        assert!(
            zero.iter().all(|c| c.points.is_sign_positive()),
            "no -0 in JSON"
        );
    }
}
