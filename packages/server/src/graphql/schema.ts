/** The executable schema: the generated SDL plus our resolvers, attached field by field. */
import { buildSchema, GraphQLObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { additionsSince2023, typeDefs } from '../generated/schema';
import { Artifact, ArtifactAlias, ArtifactCollection, ArtifactCollectionMembership, ArtifactManifest, ArtifactType, withArtifactFiles } from './artifact';
import { AccountMutations, AccountQueries } from './accounts';
import { AutomationMutations, EntityAutomations, ProjectTriggers, Secret, SlackIntegration, Trigger, UserProjects, WebhookIntegration } from './automations';
import { ArtifactLoggingMutations, ArtifactSequenceLatest } from './artifactLogging';
import { ArtifactMutations } from './artifactMutations';
import { ArtifactQueries, EntityArtifacts, Organization, ProjectArtifacts, RunArtifacts, UserOrganizations } from './artifactQueries';
import type { Context } from './context';
import { CustomChart, CustomChartMutations, CustomChartQueries } from './customCharts';
import { Entity } from './entity';
import { OrganizationFeatureFlags } from './features';
import { File, FileMutations, RunFiles } from './file';
import { RunHistory } from './history';
import { Mutation } from './mutation';
import { type SchemaProfile, withoutAdditions } from './profiles';
import { Project } from './project';
import { Query } from './query';
import type { TypeResolvers } from './resolver';
import { OrganizationMember, OrganizationMembers } from './organizationMembers';
import { ProjectMember, ProjectRegistryMembers, ProjectTeamMember, RegistryMemberMutations } from './registryMembers';
import { Run } from './run';
import { RunLifecycleMutations, RunLogLines } from './runLifecycle';
import { DefaultResourceConfig, EntityLaunch, LaunchMutations, ProjectRunQueues, RunQueue, RunQueueItem } from './runQueue';
import { Agent, ProjectSweeps, Sweep, SweepMutations } from './sweep';
import { SweepAgentMutations } from './sweepAgents';
import { EntityTeam, Invite, Member, TeamMutations } from './team';
import { User } from './user';
import { UserApiKeys } from './userApiKeys';
import { ProjectViews, View, ViewQueries } from './view';

/** [GraphQL type, resolvers] pairs; one type may take resolvers from several modules (one per noun). */
const RESOLVERS: readonly (readonly [string, TypeResolvers])[] = [
  ['Query', Query],
  ['Mutation', Mutation],
  ['User', User],
  ['User', UserApiKeys],
  ['Entity', Entity],
  ['Project', Project],
  ['Run', Run],
  ['Run', RunFiles],
  ['File', withArtifactFiles(File)],
  ['Mutation', FileMutations],
  ['Run', RunHistory],
  ['Project', ProjectSweeps],
  ['Sweep', Sweep],
  ['Agent', Agent],
  ['Mutation', SweepMutations],
  ['Mutation', SweepAgentMutations],
  ['Project', ProjectViews],
  ['View', View],
  ['Query', ViewQueries],
  ['Mutation', RunLifecycleMutations],
  ['Run', RunLogLines],
  ['Artifact', Artifact],
  ['ArtifactManifest', ArtifactManifest],
  ['ArtifactType', ArtifactType],
  ['ArtifactSequence', ArtifactCollection],
  ['ArtifactPortfolio', ArtifactCollection],
  ['ArtifactCollectionMembership', ArtifactCollectionMembership],
  ['ArtifactAlias', ArtifactAlias],
  ['Organization', Organization],
  ['Query', ArtifactQueries],
  ['Project', ProjectArtifacts],
  ['Run', RunArtifacts],
  ['Entity', EntityArtifacts],
  ['User', UserOrganizations],
  ['Mutation', ArtifactMutations],
  ['Mutation', ArtifactLoggingMutations],
  ['ArtifactSequence', ArtifactSequenceLatest],
  ['Project', ProjectRunQueues],
  ['Entity', EntityLaunch],
  ['RunQueue', RunQueue],
  ['RunQueueItem', RunQueueItem],
  ['DefaultResourceConfig', DefaultResourceConfig],
  ['Mutation', LaunchMutations],
  ['Query', AccountQueries],
  ['Mutation', AccountMutations],
  ['Entity', EntityTeam],
  ['Member', Member],
  ['Invite', Invite],
  ['Mutation', TeamMutations],
  ['Organization', OrganizationMembers],
  ['Organization', OrganizationFeatureFlags],
  ['OrganizationMember', OrganizationMember],
  ['Project', ProjectRegistryMembers],
  ['ProjectMember', ProjectMember],
  ['ProjectTeamMember', ProjectTeamMember],
  ['Mutation', RegistryMemberMutations],
  ['Trigger', Trigger],
  ['GenericWebhookIntegration', WebhookIntegration],
  ['SlackIntegration', SlackIntegration],
  ['Secret', Secret],
  ['Entity', EntityAutomations],
  ['Project', ProjectTriggers],
  ['User', UserProjects],
  ['Mutation', AutomationMutations],
  ['CustomChart', CustomChart],
  ['Query', CustomChartQueries],
  ['Mutation', CustomChartMutations],
];

const schemas = new Map<SchemaProfile, GraphQLSchema>();

/**
 * Built on first use (not at import) and shared per profile: resolvers are stateless, state lives in
 * the context. A profile without some fields (w&b-2023) leaves their resolvers out.
 */
export function getSchema(profile: SchemaProfile = 'current'): GraphQLSchema {
  const cached = schemas.get(profile);
  if (cached) return cached;
  const built = buildSchema(profile === 'current' ? typeDefs : withoutAdditions(typeDefs, additionsSince2023));
  for (const [typeName, fields] of RESOLVERS) {
    const type = built.getType(typeName);
    if (!type && profile !== 'current') continue;
    if (!(type instanceof GraphQLObjectType)) throw new Error(`resolvers for unknown type ${typeName}`);
    const schemaFields = type.getFields();
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const field = schemaFields[fieldName];
      if (!field && profile !== 'current') continue;
      if (!field) throw new Error(`resolver for unknown field ${typeName}.${fieldName}`);
      if (field.resolve) throw new Error(`two resolvers for ${typeName}.${fieldName}`);
      field.resolve = resolve as unknown as GraphQLFieldResolver<unknown, Context>;
    }
  }
  schemas.set(profile, built);
  return built;
}
