//! A source (a connector to a web service) as its designer edits it: read
//! whole, saved whole. Saving declares the secret its authentication names in
//! `secrets.required.json` (by name and kind, never a value), so the project
//! stays valid without a second edit.

use atelier_model::id::SecretName;
use atelier_model::source::{Auth, SecretKind, Source};
use atelier_model::{schema, ArtifactKind};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::imports::declare_secret;
use crate::project::{parse_id, OpenProject};
use crate::{ApiResult, SaveReport};

/// A source as its designer edits it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SourceDoc {
    pub id: String,
    pub source: Source,
}

/// The kind of secret an authentication scheme sends.
fn secret_of(auth: &Auth) -> Option<(&SecretName, SecretKind)> {
    match auth {
        Auth::None => None,
        Auth::ApiKey { secret, .. } => Some((secret, SecretKind::ApiKey)),
        Auth::Bearer { secret } => Some((secret, SecretKind::Token)),
        Auth::Basic { secret, .. } => Some((secret, SecretKind::Password)),
    }
}

impl OpenProject {
    /// Saves a source edited in its designer, declaring the secret its auth names.
    pub fn save_source(&mut self, doc: SourceDoc) -> ApiResult<SaveReport> {
        let sid = parse_id(&doc.id, "source")?;
        let mut project = self.project().clone();
        if let Some((secret, kind)) = secret_of(&doc.source.auth) {
            declare_secret(&mut project, secret, kind, format!("Used by sources/{sid}.json."));
        }
        let mut source = doc.source;
        source.schema.get_or_insert_with(|| schema::url(schema::SOURCE));
        project.sources.insert(sid, source);
        self.save_with_problems(&project)
    }

    /// A new source `id` with a placeholder address to fill in.
    pub fn new_source(&mut self, id: &str) -> ApiResult<SourceDoc> {
        let sid = parse_id(id, "source")?;
        self.check_id_free(ArtifactKind::Source, &sid, false)?;
        let source = Source {
            schema: Some(schema::url(schema::SOURCE)),
            name: crate::design::title_case(sid.as_str()),
            description: String::new(),
            base_url: "https://api.example.com".to_owned(),
            auth: Auth::None,
            headers: Default::default(),
            timeout_ms: None,
            operations: Default::default(),
        };
        let doc = SourceDoc { id: sid.to_string(), source };
        self.save_source(doc.clone())?;
        Ok(doc)
    }
}
