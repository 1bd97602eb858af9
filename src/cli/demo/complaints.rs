//! The demo's complaints, filed and moved along their workflow as handlers would.

use super::queries as demo_queries;
use crate::app::AppState;

/// A demo complaint and the steps its handlers took.
struct DemoComplaint {
    reporter: &'static str,
    category: &'static str,
    title: &'static str,
    location: &'static str,
    description: &'static str,
    public: bool,
    anonymous: bool,
    /// (status, public text, school office) in order.
    steps: &'static [(&'static str, &'static str, Option<&'static str>)],
}

/// The cases the department heads' plans mention, in every state of the workflow.
const COMPLAINTS: &[DemoComplaint] = &[
    DemoComplaint {
        reporter: "2025990001",
        category: "dorm",
        title: "北区24栋宿舍发现白蚁",
        location: "北区24栋 3楼",
        description: "宿舍墙角和书桌腿出现白蚁，已经蛀坏了两张书桌，请尽快安排除虫。",
        public: true,
        anonymous: false,
        steps: &[
            ("accepted", "", None),
            ("forwarded", "已转交后勤处安排专业除虫。", Some("后勤处")),
            ("responded", "后勤处已于本周完成24栋整栋白蚁防治，并更换了损坏的书桌。", None),
            ("resolved", "", None),
        ],
    },
    DemoComplaint {
        reporter: "2025990002",
        category: "safety",
        title: "隧道栏杆松动致同学受伤",
        location: "西区通往北区的地下通道",
        description: "通道中段的栏杆松动，昨晚有同学扶栏杆时摔倒受伤。",
        public: true,
        anonymous: true,
        steps: &[("accepted", "", None), ("forwarded", "已转交保卫处与基建处现场查看。", Some("保卫处"))],
    },
    DemoComplaint {
        reporter: "2025990001",
        category: "teaching",
        title: "教学楼3号楼吊扇掉落",
        location: "教学楼3号楼 301",
        description: "上课时吊扇突然掉落，幸好没有砸到人，其他教室的吊扇也需要检查。",
        public: true,
        anonymous: false,
        steps: &[("accepted", "", None), ("responded", "已请基建处检查全部教室吊扇，松动的已加固。", None)],
    },
    DemoComplaint {
        reporter: "2025990002",
        category: "transport",
        title: "施工车辆压坏停放的自行车",
        location: "北区食堂旁自行车棚",
        description: "施工车辆倒车时压坏了车棚里的三辆自行车，施工方不承认。",
        public: true,
        anonymous: false,
        steps: &[("accepted", "", None)],
    },
    DemoComplaint {
        reporter: "2025990001",
        category: "library",
        title: "图书馆超期罚款计算有误",
        location: "图书馆总馆",
        description: "系统维护期间无法还书，却仍然按天计算了超期罚款。",
        public: false,
        anonymous: false,
        steps: &[],
    },
    DemoComplaint {
        reporter: "2025990002",
        category: "teaching",
        title: "教室桌椅损坏无人维修",
        location: "教学楼5号楼 2楼",
        description: "多间教室的桌椅损坏已经一个多月，报修后没有回音。",
        public: true,
        anonymous: false,
        steps: &[("rejected", "与编号更早的同类投诉重复，已合并处理，请关注那一条的进展。", None)],
    },
    DemoComplaint {
        reporter: "2025990001",
        category: "dorm",
        title: "57栋装修噪音影响休息",
        location: "北区57栋",
        description: "57栋装修每天早上七点开始施工，影响休息和复习。",
        public: true,
        anonymous: true,
        steps: &[],
    },
];

pub async fn seed_complaints(state: &AppState) -> anyhow::Result<usize> {
    use crate::complaints::queries::{self, NewEvent};
    let categories = queries::list_categories(&state.db).await?;
    let mut created = 0;
    for d in COMPLAINTS {
        if demo_queries::complaint_titled(&state.db, d.title).await? {
            continue;
        }
        let category = categories
            .iter()
            .find(|c| c.slug == d.category)
            .ok_or_else(|| anyhow::anyhow!("no category {}", d.category))?;
        let reporter = crate::departments::queries::fetch_user_id(&state.db, d.reporter)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no reporter"))?;
        let values = crate::complaints::NewComplaintValues {
            category_id: category.category_id,
            department_id: category.department_id,
            title: d.title.to_string(),
            location: d.location.to_string(),
            description: d.description.to_string(),
            is_public: d.public,
            is_anonymous: d.anonymous,
        };
        let (id, _) = crate::complaints::file_complaint(state, reporter, &values, &[])
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut tx = state.db.begin().await?;
        let mut from = "submitted";
        for (to, body, office) in d.steps {
            let office_id = match office {
                Some(name) => demo_queries::fetch_office_id(&mut *tx, name).await?,
                None => None,
            };
            queries::update_status(&mut *tx, id, category.department_id, from, to, office_id).await?;
            let event = NewEvent {
                complaint_id: id,
                actor_id: None,
                department_id: Some(category.department_id),
                kind: "status",
                from_status: Some(from),
                to_status: Some(to),
                body,
                is_public: true,
                office_id: None,
                due_on: None,
                by_presidium: false,
            };
            queries::insert_event(&mut *tx, &event).await?;
            from = to;
        }
        tx.commit().await?;
        created += 1;
    }
    Ok(created)
}
