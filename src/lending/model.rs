//! Lending's rules that are not SQL: what each refusal tells the person at the desk or
//! the phone, and which stock moves bring every station back to its minimum.

use super::queries::StationStock;

/// The catalogue key of `lending_borrow`'s answer, for the flash or the field.
pub fn borrow_message(outcome: &str) -> &'static str {
    match outcome {
        "lent" => "flash.lending.lent",
        "not_verified" => "lending.refused.not_verified",
        "overdue" => "lending.refused.overdue",
        "limit" => "lending.refused.limit",
        "not_available" => "lending.refused.not_available",
        "no_student" => "lending.refused.no_student",
        _ => "lending.refused.no_item",
    }
}

/// The catalogue key of `lending_return`'s answer.
pub fn return_message(outcome: &str) -> &'static str {
    match outcome {
        "returned" => "flash.lending.returned",
        "no_station" => "lending.refused.no_station",
        "not_on_loan" => "lending.refused.not_on_loan",
        _ => "lending.refused.no_item",
    }
}

/// The catalogue key of an item's state.
pub fn state_key(state: &str) -> &'static str {
    match state {
        "available" => "lending.state.available",
        "on_loan" => "lending.state.on_loan",
        "lost" => "lending.state.lost",
        "repair" => "lending.state.repair",
        _ => "lending.state.retired",
    }
}

/// One line of the rebalancing list: carry `count` from one station to another.
#[derive(Debug, PartialEq, Eq)]
pub struct Move {
    pub from_id: i64,
    pub from: String,
    pub to_id: i64,
    pub to: String,
    pub count: i64,
}

/// Moves that bring each station below its minimum up to it, taken from the stations
/// with most to spare above theirs (never below their own minimum). Greedy: the largest
/// surplus serves the largest shortage first, so the list stays short. A closed station
/// takes nothing (and, its shelf empty, has nothing to give).
pub fn rebalancing(stations: &[StationStock]) -> Vec<Move> {
    let mut short: Vec<(usize, i64)> = stations
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.closed && s.available < i64::from(s.min_stock))
        .map(|(i, s)| (i, i64::from(s.min_stock) - s.available))
        .collect();
    let mut spare: Vec<(usize, i64)> = stations
        .iter()
        .enumerate()
        .filter(|(_, s)| s.available > i64::from(s.min_stock))
        .map(|(i, s)| (i, s.available - i64::from(s.min_stock)))
        .collect();
    short.sort_by_key(|(i, n)| (-n, *i));
    spare.sort_by_key(|(i, n)| (-n, *i));
    let mut moves = Vec::new();
    for (to, mut need) in short {
        for (from, left) in spare.iter_mut() {
            if need == 0 {
                break;
            }
            let count = need.min(*left);
            if count > 0 {
                *left -= count;
                need -= count;
                let (f, t) = (&stations[*from], &stations[to]);
                moves.push(Move {
                    from_id: f.station_id,
                    from: f.name.clone(),
                    to_id: t.station_id,
                    to: t.name.clone(),
                    count,
                });
            }
        }
    }
    moves
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
