//! A config's `goToNetworks` entries against its `goToNetwork` statements:
//! the rule lives in `g2n_ide::endpoints` (the editor shows the same
//! warnings); this feeds it the configs the driver loaded.

use crate::driver::Loaded;
use g2n_ide::endpoints::{self, ConfigUnit, EndpointWarning};
use g2n_split::MeshPlan;

/// The warnings of every config of `loaded`, checked against `plan`.
pub fn warnings(loaded: &Loaded, plan: &MeshPlan) -> Vec<EndpointWarning> {
    let configs = loaded.units.iter().filter_map(|u| Some(ConfigUnit { name: &u.name, file: u.file, config: u.config.as_ref()? }));
    endpoints::warnings(configs, plan)
}
