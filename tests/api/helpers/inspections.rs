//! Dorm inspections arranged for tests: a building, its rooms and residents, a rubric.

use super::TestApp;

impl TestApp {
    /// The rights department inspects 北区24栋: room 301 (计算机学院, `owner_no` lives there) and
    /// room 302 (`neighbour_no`), and rubric version 1 (excellent 90, good 80, pass 60) with no
    /// items yet (`inspection_item` rows are the test's own).
    pub async fn rights_inspect_rooms_301_and_302(&self, owner_no: &str, neighbour_no: &str) {
        self.execute(&format!(
            "update department set runs_inspections = true where slug = 'rights';
             insert into dorm_building (name) values ('北区24栋');
             insert into dorm_room (building_id, room_number, floor, walk_order, capacity, college, gender)
             select building_id, n, 3, w, 4, '计算机学院', 'm' from dorm_building, (values ('301', 1), ('302', 2)) r(n, w);
             insert into dorm_resident (student_no, room_id) select '{owner_no}', room_id from dorm_room where room_number = '301';
             insert into dorm_resident (student_no, room_id) select '{neighbour_no}', room_id from dorm_room where room_number = '302';
             insert into inspection_rubric (version, excellent_min, good_min, pass_min) values (1, 90, 80, 60);"
        ))
        .await;
    }
}
