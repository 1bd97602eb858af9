//! Where uploads live, behind one interface (`object_store`): the local folder
//! (`<data dir>/uploads`, the default) or any S3-compatible bucket, chosen by
//! `PORTAL_STORAGE_URL` (`s3://bucket/prefix`; endpoint, region and keys from the usual
//! `AWS_*` variables). Every process of a cluster then sees every photo. The layout is the
//! same in both: `<prefix>/<first two hex digits>/<name>.jpg`.

use std::{path::Path, sync::Arc};

use futures_util::TryStreamExt;

use object_store::{aws::AmazonS3Builder, local::LocalFileSystem, path::Path as ObjectPath, ObjectStore};

#[derive(Debug, Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    prefix: ObjectPath,
    /// For messages and the `storage` command: `file:///…/uploads` or `s3://bucket/prefix`.
    pub url: String,
}

impl Storage {
    /// The local folder `<data_dir>/uploads` (made on first write).
    pub fn local(data_dir: &Path) -> Storage {
        Storage::folder(&data_dir.join("uploads"))
    }

    /// Uploads right in `dir`.
    pub fn folder(dir: &Path) -> Storage {
        let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        let prefix = ObjectPath::from_absolute_path(&dir)
            .unwrap_or_else(|_| ObjectPath::from(dir.to_string_lossy().trim_start_matches('/')));
        Storage { store: Arc::new(LocalFileSystem::new()), prefix, url: format!("file://{}", dir.display()) }
    }

    /// From `PORTAL_STORAGE_URL`: none is `<data_dir>/uploads`, `file:///folder` that folder,
    /// `s3://bucket/prefix` a bucket.
    pub fn from_url(url: Option<&str>, data_dir: &Path) -> anyhow::Result<Storage> {
        let Some(url) = url.filter(|u| !u.is_empty()) else { return Ok(Storage::local(data_dir)) };
        let parsed = reqwest::Url::parse(url).map_err(|e| anyhow::anyhow!("PORTAL_STORAGE_URL: {e}"))?;
        match parsed.scheme() {
            "file" => Ok(Storage::folder(Path::new(parsed.path()))),
            "s3" => {
                let bucket =
                    parsed.host_str().ok_or_else(|| anyhow::anyhow!("PORTAL_STORAGE_URL: s3://bucket/prefix"))?;
                let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
                // A loopback or campus endpoint without TLS (AWS_ENDPOINT_URL=http://…).
                let endpoint = std::env::var("AWS_ENDPOINT_URL").or_else(|_| std::env::var("AWS_ENDPOINT"));
                if let Ok(endpoint) = endpoint {
                    builder = builder.with_endpoint(&endpoint).with_allow_http(endpoint.starts_with("http://"));
                }
                let store = builder.build().map_err(|e| anyhow::anyhow!("PORTAL_STORAGE_URL: {e}"))?;
                let prefix = ObjectPath::from(parsed.path().trim_matches('/'));
                Ok(Storage { store: Arc::new(store), prefix, url: url.to_string() })
            }
            other => {
                anyhow::bail!("PORTAL_STORAGE_URL: unknown scheme {other}: (use s3://bucket/prefix or file:///folder)")
            }
        }
    }

    /// The object of an upload's name (checked by `uploads::is_upload_name` first).
    pub fn object(&self, name: &str) -> ObjectPath {
        self.prefix.child(&name[..2]).child(name)
    }

    pub fn store(&self) -> &Arc<dyn ObjectStore> {
        &self.store
    }

    pub fn prefix(&self) -> &ObjectPath {
        &self.prefix
    }
}

/// What `copy_everything` did.
pub struct Copied {
    pub copied: usize,
    pub skipped: usize,
}

/// Copy every upload of `from` to `to`, one object at a time; an object already there with the
/// same size is skipped, so an interrupted copy resumes where it stopped.
pub async fn copy_everything(from: &Storage, to: &Storage) -> anyhow::Result<Copied> {
    let mut done = Copied { copied: 0, skipped: 0 };
    let mut listing = from.store.list(Some(&from.prefix));
    while let Some(meta) = listing.try_next().await? {
        let Some(name) = meta.location.filename().filter(|n| crate::uploads::is_upload_name(n)) else { continue };
        let target = to.object(name);
        if to.store.head(&target).await.is_ok_and(|there| there.size == meta.size) {
            done.skipped += 1;
            continue;
        }
        let bytes = from.store.get(&meta.location).await?.bytes().await?;
        to.store.put(&target, bytes.into()).await?;
        done.copied += 1;
    }
    Ok(done)
}
