// The other side of links: the portfolio collections a version is linked into, and a link's source.
import { type CallOptions, NotFoundError, ValidationError, type WandbClient } from '@wandb-api/core';
import { type Artifact, getArtifact } from './artifact.js';
import { REGISTRY_PREFIX, isRegistryProject } from './artifactPath.js';
import { resolveOrgInfo } from './org.js';
import { FetchLinkedArtifactsDocument } from './generated/graphql.js';

/**
 * The links of a version (Python's `linked_artifacts`): one copy per portfolio it is linked into,
 * placed there (`<portfolio>:vN`), with that membership's aliases plus `vN` (as Python). A link
 * itself has none.
 * @example for (const link of await linkedArtifacts(client, artifact)) console.log(link.qualifiedName);
 */
export async function linkedArtifacts(client: WandbClient, artifact: Artifact, options?: CallOptions): Promise<Artifact[]> {
  if (!artifact?.id) throw new ValidationError('artifact must be a logged Artifact.');
  if (artifact.isLink) return [];
  const data = await client.request(FetchLinkedArtifactsDocument, { artifactID: artifact.id }, options);
  if (!data.artifact) throw new NotFoundError('Unable to find any artifact memberships for artifact', { status: 404 });
  const links = data.artifact.artifactMemberships.edges.flatMap((edge) => {
    const m = edge?.node;
    const coll = m?.artifactCollection;
    if (!m || !coll?.project || coll.__typename !== 'ArtifactPortfolio' || m.versionIndex == null) return [];
    const version = `v${m.versionIndex}`;
    const aliases = [...new Set(m.aliases.map((a) => a.alias))];
    if (!aliases.includes(version)) aliases.push(version);
    const entity = coll.project.entity.name;
    const project = coll.project.name;
    const name = `${coll.name}:${version}`;
    return [{ ...artifact, entity, project, name, qualifiedName: `${entity}/${project}/${name}`, collectionName: coll.name, version, isLink: true, aliases }];
  });
  // URLs as Python builds them; a registry's organization comes from its entity (one cached lookup).
  return Promise.all(
    links.map(async (link) => {
      const selection = encodeURIComponent(`${link.entity}/${link.project}/${link.collectionName}`);
      const membership = `selectionPath=${selection}&view=membership&version=${link.version}`;
      let url: string;
      if (isRegistryProject(link.project)) {
        const org = await resolveOrgInfo(client, link.entity, undefined, options).catch(() => null);
        url = org ? `${client.config.appUrl}orgs/${org.name}/registry/${link.project.slice(REGISTRY_PREFIX.length)}?${membership}` : '';
      } else if (link.type === 'model' || link.project === 'model-registry') {
        url = `${client.config.appUrl}${link.entity}/registry/model?${membership}`;
      } else {
        url = `${client.config.appUrl}${link.entity}/${link.project}/artifacts/${encodeURIComponent(link.type)}/${encodeURIComponent(link.collectionName)}/${link.version}`;
      }
      return { ...link, url };
    }),
  );
}

/**
 * The version a link points at (the artifact itself when it is not a link).
 * @example const source = await sourceArtifact(client, link); console.log(source.qualifiedName);
 */
export async function sourceArtifact(client: WandbClient, artifact: Artifact, options?: CallOptions): Promise<Artifact> {
  if (!artifact?.id) throw new ValidationError('artifact must be a logged Artifact.');
  if (!artifact.isLink) return artifact;
  return getArtifact(client, artifact.sourceQualifiedName, options).catch((error: unknown) => {
    throw new NotFoundError(`Unable to fetch source artifact for linked artifact ${artifact.name}`, { status: 404, cause: error });
  });
}
