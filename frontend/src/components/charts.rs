//! Charts drawn as inline SVG by the dashboard itself: no chart library, no CDN, and
//! they work on a server without internet access.

use yew::prelude::*;

/// One bar: its label, its value, and an optional CSS class (a status colour).
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: i64,
    pub class: Option<&'static str>,
}

#[derive(Properties, PartialEq)]
pub struct BarChartProps {
    pub bars: Vec<Bar>,
    /// What the chart shows, for screen readers.
    pub title: AttrValue,
    #[prop_or_default]
    pub testid: AttrValue,
}

const ROW: u32 = 26;
const LABEL_W: u32 = 190;
const BAR_W: u32 = 260;

/// Horizontal bars, longest for the largest value, each with its number.
#[function_component]
pub fn BarChart(props: &BarChartProps) -> Html {
    let max = props.bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let height = ROW * props.bars.len().max(1) as u32;
    let width = LABEL_W + BAR_W + 50;
    html! {
        <svg class="chart bar-chart" role="img" aria-label={props.title.clone()}
             data-testid={props.testid.clone()}
             viewBox={format!("0 0 {width} {height}")} width="100%"
             preserveAspectRatio="xMinYMin meet">
            <title>{ props.title.clone() }</title>
            { for props.bars.iter().enumerate().map(|(i, bar)| {
                let y = i as u32 * ROW;
                let w = (bar.value.max(0) as f64 / max as f64 * BAR_W as f64).round() as u32;
                html! {
                    <g class="bar-row">
                        <text x={(LABEL_W - 6).to_string()} y={(y + 17).to_string()} text-anchor="end" class="bar-label">
                            { truncate(&bar.label, 28) }
                        </text>
                        <rect x={LABEL_W.to_string()} y={(y + 4).to_string()} width={w.max(1).to_string()} height="18"
                              rx="3" class={classes!("bar", bar.class)} />
                        <text x={(LABEL_W + w + 6).to_string()} y={(y + 17).to_string()} class="bar-value">
                            { bar.value }
                        </text>
                    </g>
                }
            }) }
        </svg>
    }
}

#[derive(Properties, PartialEq)]
pub struct ProgressProps {
    /// 0–100.
    pub percent: f64,
    #[prop_or_default]
    pub label: AttrValue,
}

/// A completion bar with its percentage.
#[function_component]
pub fn ProgressBar(props: &ProgressProps) -> Html {
    let p = props.percent.clamp(0.0, 100.0);
    html! {
        <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100"
             aria-valuenow={format!("{p:.1}")} aria-label={props.label.clone()}>
            <svg viewBox="0 0 100 8" preserveAspectRatio="none" class="progress-track">
                <rect x="0" y="0" width="100" height="8" rx="2" class="progress-bg" />
                <rect x="0" y="0" width={format!("{p:.1}")} height="8" rx="2"
                      class={classes!("progress-fill", (p < 80.0).then_some("low"))} />
            </svg>
            <span class="progress-value">{ format!("{p:.1}%") }</span>
        </div>
    }
}

fn truncate(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::truncate;

    #[test]
    fn labels_are_cut_on_characters() {
        assert_eq!(truncate("Ауыз су", 3), "Ауы…");
        assert_eq!(truncate("Су", 3), "Су");
    }
}
