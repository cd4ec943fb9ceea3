/** Global ids of artifact nouns: base64 of "<Type>:<number>", as the other W&B ids here. */

export type ArtifactIdType = 'Artifact' | 'ArtifactCollection' | 'ArtifactCollectionMembership' | 'ArtifactAlias' | 'ArtifactType' | 'Organization' | 'Tag';

export const artifactNodeGid = (type: ArtifactIdType, id: number | string): string => Buffer.from(`${type}:${id}`, 'utf8').toString('base64');

/** The number inside a global id of `type`; undefined when it is not one. */
export function decodeArtifactNodeGid(type: ArtifactIdType, gid: string): number | undefined {
  const match = /^([A-Za-z]+):(\d+)$/.exec(Buffer.from(gid, 'base64').toString('utf8'));
  return match && match[1] === type ? Number(match[2]) : undefined;
}
