//! Lending in the table's world: the rights department runs it (the migration's default;
//! news does not) with two stations. Every row gets fresh items: an umbrella on the shelf
//! for borrowing and the desk's forms, one already lent to the owner (put there directly,
//! past the per-student limit, which the lending tests cover) for the owner's return.

use super::*;

/// Two stations of the rights department: 北区图书馆 (where new items go) and 西区第一教学楼.
pub(crate) async fn arrange(w: &World) {
    sqlx::raw_sql(
        "insert into lending_station (department_id, name, district, place, capacity, min_stock)
         select department_id, n, d, '一楼', 50, 1 from department, (values ('北区图书馆', '北区'), ('西区第一教学楼', '西区')) s(n, d)
         where slug = 'rights'",
    )
    .execute(&w.app.db)
    .await
    .expect("the lending stations of the world");
}

impl World {
    async fn station(&self, name: &str) -> i64 {
        self.id_of(&format!("select station_id from lending_station where name = '{name}'")).await
    }

    /// A fresh umbrella on the shelf at 北区图书馆; its code.
    pub(crate) async fn umbrella(&self) -> String {
        sqlx::query_scalar(
            "insert into lending_item (code, kind, department_id, home_station_id, station_id)
             select 'W' || lpad(((select count(*) from lending_item) + 1)::text, 5, '0'), 'umbrella', department_id, station_id, station_id
             from lending_station where name = '北区图书馆' returning code",
        )
        .fetch_one(&self.app.db)
        .await
        .expect("an umbrella")
    }

    /// A fresh umbrella on loan to `borrower`; its code.
    pub(crate) async fn lent_umbrella(&self, borrower: i64) -> String {
        let code = self.umbrella().await;
        sqlx::query(
            "with i as (update lending_item set state = 'on_loan' where code = $1 returning item_id, kind, station_id)
             insert into lending_loan (item_id, kind, borrower_id, station_id, due_at)
             select item_id, kind, $2, station_id, now() + interval '1 day' from i",
        )
        .bind(&code)
        .bind(borrower)
        .execute(&self.app.db)
        .await
        .expect("a loan");
        code
    }

    /// `{item_code}`: an umbrella on the shelf; `{owner_loan_code}`: one the owner holds;
    /// `{lending_station}`: 西区第一教学楼.
    pub(crate) async fn lending_path(&self, path: String) -> String {
        if path.contains("{lending_station}") {
            return path.replace("{lending_station}", &self.station("西区第一教学楼").await.to_string());
        }
        if path.contains("{item_code}") {
            return path.replace("{item_code}", &self.umbrella().await);
        }
        if path.contains("{owner_loan_code}") {
            return path.replace("{owner_loan_code}", &self.lent_umbrella(self.owner).await);
        }
        path
    }

    /// A valid form of the lending desk's routes.
    pub(crate) async fn lending_form(&self, route: &str, attempt: usize) -> Option<Vec<(String, String)>> {
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        let north = self.station("北区图书馆").await.to_string();
        let west = self.station("西区第一教学楼").await.to_string();
        let form = match route {
            "/umbrellas/i/{code}/return" => vec![s("return_station", &west)],
            "/d/{dept}/lending/lend" => {
                let student_no = format!("2024{attempt:06}");
                self.app.create_user(&student_no, "借伞同学").await;
                vec![s("lend_code", &self.umbrella().await), s("lend_student_no", &student_no)]
            }
            "/d/{dept}/lending/return" => {
                let code = self.lent_umbrella(self.target_user).await;
                vec![s("return_code", &code), s("return_station", &west)]
            }
            "/d/{dept}/lending/move" => {
                self.umbrella().await;
                vec![s("move_from", &north), s("move_to", &west), s("move_count", "1")]
            }
            "/d/{dept}/lending/stations/new" => vec![
                s("name", &format!("借用点{attempt}")),
                s("district", "东区"),
                s("place", "东门"),
                s("opening_hours", "8:00–22:00"),
                s("capacity", "20"),
                s("min_stock", "5"),
                s("on_duty", "李四"),
            ],
            "/d/{dept}/lending/items/new" => {
                vec![
                    s("items_station", &north),
                    s("items_kind", "umbrella"),
                    s("items_prefix", "AZ"),
                    s("items_count", "2"),
                ]
            }
            "/d/{dept}/lending/items/state" => vec![s("state_code", &self.umbrella().await), s("state_to", "repair")],
            // The station as the world has it (other rows find it by name), and the kind's own rules.
            "/d/{dept}/lending/stations/{station_id}" => vec![
                s("name", "西区第一教学楼"),
                s("district", "西区"),
                s("place", "一楼"),
                s("opening_hours", ""),
                s("capacity", "50"),
                s("min_stock", "1"),
                s("on_duty", ""),
            ],
            "/d/{dept}/lending/kinds/{kind}" => vec![
                s("loan_hours", "24"),
                s("open_loan_limit", "1"),
                s("remind_before_hours", "2"),
                s("lost_after_days", "7"),
            ],
            _ => return None,
        };
        Some(form)
    }
}
