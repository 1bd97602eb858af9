use super::*;

fn station(id: i64, name: &str, available: i64, min_stock: i32) -> StationStock {
    StationStock {
        station_id: id,
        name: name.into(),
        district: "西区".into(),
        place: String::new(),
        opening_hours: String::new(),
        capacity: 40,
        min_stock,
        on_duty: String::new(),
        closed: false,
        available,
    }
}

#[test]
fn a_short_station_is_filled_from_the_one_with_most_to_spare() {
    let stations = [station(1, "北区图书馆", 20, 8), station(2, "西区第一教学楼", 2, 8), station(3, "西区食堂", 10, 8)];
    let moves = rebalancing(&stations);
    assert_eq!(
        moves,
        vec![Move {
            from_id: 1, from: "北区图书馆".into(), to_id: 2, to: "西区第一教学楼".into(), count: 6
        }]
    );
}

#[test]
fn no_station_is_emptied_below_its_own_minimum() {
    let stations = [station(1, "甲", 9, 8), station(2, "乙", 9, 8), station(3, "丙", 0, 8)];
    let moves = rebalancing(&stations);
    assert_eq!(moves.iter().map(|m| m.count).sum::<i64>(), 2);
}

#[test]
fn balanced_stations_need_no_move() {
    assert!(rebalancing(&[station(1, "甲", 8, 8), station(2, "乙", 30, 8)]).is_empty());
}

#[test]
fn every_refusal_has_its_own_message() {
    let keys = ["not_verified", "overdue", "limit", "not_available", "no_student", "no_item"].map(borrow_message);
    let unique: std::collections::HashSet<_> = keys.iter().collect();
    assert_eq!(unique.len(), keys.len());
    assert_eq!(borrow_message("lent"), "flash.lending.lent");
}

#[test]
fn a_closed_station_is_never_sent_stock() {
    let mut closed = station(2, "西区第一教学楼", 0, 8);
    closed.closed = true;
    let moves = rebalancing(&[station(1, "北区图书馆", 20, 8), closed]);
    assert!(moves.is_empty(), "{:?}", moves.iter().map(|m| &m.to).collect::<Vec<_>>());
}
