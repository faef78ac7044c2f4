//! The data catalogue repository on diesel.

use chrono::NaiveDateTime;
use common::{DataId, UserId};
use datastore::{CatalogueError, DataItem, DataRepo, ListQuery, NewDataItem};
use diesel::prelude::*;

use crate::error::DbError;
use crate::pool::{Database, in_transaction, with_conn};
use crate::rows::{naive, utc};
use crate::schema::data_items;

#[derive(Queryable, Selectable)]
#[diesel(table_name = data_items)]
struct DataItemRow {
    id: i64,
    owner_id: i64,
    file_class: String,
    upload_kind: String,
    original_name: String,
    stored_name: String,
    storage_key: String,
    size: i64,
    content_type: String,
    sha256: String,
    source_url: Option<String>,
    file_count: i64,
    created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = data_items)]
struct NewDataItemRow<'a> {
    owner_id: i64,
    file_class: &'a str,
    upload_kind: &'a str,
    original_name: &'a str,
    stored_name: &'a str,
    storage_key: &'a str,
    size: i64,
    content_type: &'a str,
    sha256: &'a str,
    source_url: Option<&'a str>,
    file_count: i64,
    created_at: NaiveDateTime,
}

impl DataItemRow {
    fn into_item(self) -> Result<DataItem, DbError> {
        let corrupt = |what: &str, value: &str| DbError::Corrupt(format!("data_items.{what} = {value:?}"));
        Ok(DataItem {
            id: DataId(self.id),
            owner: UserId(self.owner_id),
            class: self
                .file_class
                .parse()
                .map_err(|_| corrupt("file_class", &self.file_class))?,
            kind: self
                .upload_kind
                .parse()
                .map_err(|_| corrupt("upload_kind", &self.upload_kind))?,
            original_name: self.original_name,
            stored_name: self.stored_name,
            storage_key: self.storage_key,
            size: self.size.max(0) as u64,
            content_type: self.content_type,
            sha256: self.sha256,
            source_url: self.source_url,
            file_count: self.file_count.max(0) as u64,
            created_at: utc(self.created_at),
        })
    }
}

impl From<DbError> for CatalogueError {
    fn from(error: DbError) -> Self {
        CatalogueError(Box::new(error))
    }
}

fn clamp(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl DataRepo for Database {
    fn insert_item(&self, item: &NewDataItem) -> Result<DataItem, CatalogueError> {
        let row = NewDataItemRow {
            owner_id: item.owner.get(),
            file_class: item.class.as_str(),
            upload_kind: item.kind.as_str(),
            original_name: &item.original_name,
            stored_name: &item.stored_name,
            storage_key: &item.storage_key,
            size: clamp(item.size),
            content_type: &item.content_type,
            sha256: &item.sha256,
            source_url: item.source_url.as_deref(),
            file_count: clamp(item.file_count),
            created_at: naive(item.created_at),
        };
        let inserted: DataItemRow = with_conn!(self, conn => diesel::insert_into(data_items::table)
            .values(&row)
            .returning(DataItemRow::as_returning())
            .get_result(conn)
            .map_err(DbError::from))?;
        Ok(inserted.into_item()?)
    }

    fn item(&self, owner: UserId, id: DataId) -> Result<Option<DataItem>, CatalogueError> {
        let found: Option<DataItemRow> = with_conn!(self, conn => data_items::table
            .filter(data_items::id.eq(id.get()))
            .filter(data_items::owner_id.eq(owner.get()))
            .select(DataItemRow::as_select())
            .first(conn)
            .optional()
            .map_err(DbError::from))?;
        Ok(found.map(DataItemRow::into_item).transpose()?)
    }

    fn items(&self, owner: UserId, query: &ListQuery) -> Result<Vec<DataItem>, CatalogueError> {
        let class = query.class.map(|c| c.as_str());
        let offset = clamp(query.offset);
        let limit = query.limit.map(clamp).unwrap_or(i64::MAX);
        let rows: Vec<DataItemRow> = with_conn!(self, conn => {
            let mut select = data_items::table
                .filter(data_items::owner_id.eq(owner.get()))
                .order((data_items::created_at.desc(), data_items::id.desc()))
                .select(DataItemRow::as_select())
                .into_boxed();
            if let Some(class) = class {
                select = select.filter(data_items::file_class.eq(class));
            }
            select.offset(offset).limit(limit).load(conn).map_err(DbError::from)
        })?;
        Ok(rows
            .into_iter()
            .map(DataItemRow::into_item)
            .collect::<Result<_, _>>()?)
    }

    fn delete_item(&self, owner: UserId, id: DataId) -> Result<Option<DataItem>, CatalogueError> {
        let deleted: Option<DataItemRow> = in_transaction!(self, conn => {
            let target = data_items::table.filter(data_items::id.eq(id.get())).filter(data_items::owner_id.eq(owner.get()));
            let row = target.select(DataItemRow::as_select()).first(conn).optional()?;
            if row.is_some() {
                diesel::delete(target).execute(conn)?;
            }
            Ok(row)
        })?;
        Ok(deleted.map(DataItemRow::into_item).transpose()?)
    }

    fn used_bytes(&self, owner: UserId) -> Result<u64, CatalogueError> {
        let sizes: Vec<i64> = with_conn!(self, conn => data_items::table
            .filter(data_items::owner_id.eq(owner.get()))
            .select(data_items::size)
            .load(conn)
            .map_err(DbError::from))?;
        Ok(sizes.into_iter().map(|n| n.max(0) as u64).sum())
    }

    fn storage_keys(&self, owner: UserId) -> Result<Vec<String>, CatalogueError> {
        Ok(with_conn!(self, conn => data_items::table
            .filter(data_items::owner_id.eq(owner.get()))
            .select(data_items::storage_key)
            .load(conn)
            .map_err(DbError::from))?)
    }
}
