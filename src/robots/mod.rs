//! Group robots (群机器人) for the union's chats: the webhooks of 企业微信, 钉钉 and 飞书
//! robots, checked and masked (`model`), and each platform's request (`platforms`).

pub mod model;
pub mod platforms;

pub use model::{Message, Platform, Topic};
