/**
 * The browser-safe entry of `@wandb-api/artifacts`: artifacts, types, collections, files,
 * manifests, registries and organizations as tree-shakable functions of a client.
 * @module @wandb-api/artifacts
 */
// @wandb-api/artifacts: the browser-safe entry. Node builds get ./node.ts (adds disk downloads).
export { type ArtifactPath, REGISTRY_PREFIX, isRegistryProject, isVersionAlias, membershipName, parseArtifactPath } from './artifactPath.js';
export {
  type Artifact,
  type ArtifactPlacement,
  type ArtifactRef,
  type ArtifactState,
  type GetArtifactOptions,
  type ResolvedArtifactPath,
  artifactExists,
  fromMembership,
  getArtifact,
  resolveArtifactPath,
  toArtifact,
} from './artifact.js';
export { type ArtifactType, getArtifactType, listArtifactTypes } from './artifactTypes.js';
export {
  type ArtifactCollection,
  type ArtifactCollectionChanges,
  type ListArtifactCollectionsOptions,
  artifactCollectionExists,
  changeCollectionType,
  collectionAliases,
  deleteArtifactCollection,
  getArtifactCollection,
  isReservedType,
  listArtifactCollections,
  saveArtifactCollection,
  toArtifactCollection,
} from './collections.js';
export {
  type ArtifactRunLocator,
  type ListArtifactsOptions,
  type RunArtifactsOptions,
  artifactVersions,
  listArtifacts,
  runLoggedArtifacts,
  runUsedArtifacts,
} from './artifactLists.js';
export {
  type ArtifactFile,
  type ArtifactFileUrl,
  type ArtifactFileUrlsOptions,
  type ArtifactFilesOptions,
  artifactFileUrls,
  artifactFiles,
} from './artifactFiles.js';
export { linkedArtifacts, sourceArtifact } from './linkedArtifacts.js';
export { type ArtifactManifest, type ManifestEntry, getEntry, getManifest, listManifestEntries, parseManifest } from './manifest.js';
export {
  type ArtifactChanges,
  type ArtifactRunInfo,
  type ArtifactTtl,
  type DeleteArtifactOptions,
  type LinkArtifactOptions,
  artifactLoggedBy,
  artifactUsedBy,
  deleteArtifact,
  linkArtifact,
  saveArtifact,
  unlinkArtifact,
} from './artifactMutations.js';
export {
  type CreateRegistryInput,
  type ListRegistriesOptions,
  type Registry,
  type RegistryChanges,
  type RegistrySearchOptions,
  type RegistryVisibility,
  Registries,
  RegistryCollections,
  createRegistry,
  deleteRegistry,
  getRegistry,
  listRegistries,
  registryCollections,
  registryFilterFor,
  registryVersions,
  saveRegistry,
} from './registries.js';
export {
  type RegistryMember,
  type RegistryMemberRef,
  type RegistryRef,
  type RegistryRole,
  type RegistryTeamMember,
  type RegistryUserMember,
  addRegistryMembers,
  listRegistryMembers,
  removeRegistryMembers,
  updateRegistryMember,
} from './registryMembers.js';
export {
  type ArtifactCollectionFieldFilters,
  type ArtifactCollectionFilter,
  type ArtifactVersionFieldFilters,
  type ArtifactVersionFilter,
  type RegistryFieldFilters,
  type RegistryFilter,
  type RegistryFilterInput,
  type RegistryOrder,
  type SearchDialect,
  type SearchFieldFilter,
  type SearchFieldOperators,
  type SearchFilter,
  checkOrder,
  collectionFilter,
  prefixRegistryName,
  registryFilter,
  versionFilter,
} from './registryFilter.js';
export { type OrgInfo, type Organization, getOrganization, resolveOrgEntityName, resolveOrgInfo, resolveOrganization } from './org.js';
export { computeManifestDigest } from './manifest.js';
export {
  type ArtifactFileStreamOptions,
  type DownloadArtifactFileOptions,
  type DownloadArtifactOptions,
  type DownloadProgress,
  type DownloadableArtifact,
  type StreamableEntry,
  type VerifyArtifactResult,
  artifactFileStream,
} from './download.js';
export { entryPathSegments, isSafeEntryPath } from './entryPath.js';
