//! Found campus cards (失卡送还): the owner hears where to fetch their card, whether the card
//! came in after they had a verified account or they were verified after it came in.

use sqlx::PgConnection;

use super::queries;
use crate::notifications::notify;

/// Tell the card's owner where it waits.
pub async fn tell_card_owner(tx: &mut PgConnection, owner: i64, item_id: i64, point_id: i64) -> sqlx::Result<()> {
    let (name, address, hours) = queries::fetch_point_place(&mut *tx, point_id).await?;
    let where_ = format!("{name}（{address}，{hours}）");
    notify(&mut *tx, &[owner], None, "notify.lost.card_found", &where_, &format!("/lost-found/items/{item_id}")).await
}

/// An account just verified: the campus cards with its number that wait at a point become its
/// own, and it is told of each at once. Returns how many.
pub async fn tell_newly_verified_owner(tx: &mut PgConnection, user_id: i64) -> sqlx::Result<usize> {
    let cards = queries::claim_waiting_cards(tx, user_id).await?;
    for (item_id, point_id) in &cards {
        tell_card_owner(tx, user_id, *item_id, *point_id).await?;
    }
    Ok(cards.len())
}
