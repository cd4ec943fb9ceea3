/** The executable schema: the generated SDL plus our resolvers, attached field by field. */
import { buildSchema, GraphQLObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { typeDefs } from '../generated/schema';
import type { Context } from './context';
import { Entity } from './entity';
import { Mutation } from './mutation';
import { Project } from './project';
import { Query } from './query';
import type { TypeResolvers } from './resolver';
import { Run } from './run';
import { User } from './user';

/** [GraphQL type, resolvers] pairs; one type may take resolvers from several modules (one per noun). */
const RESOLVERS: readonly (readonly [string, TypeResolvers])[] = [
  ['Query', Query],
  ['Mutation', Mutation],
  ['User', User],
  ['Entity', Entity],
  ['Project', Project],
  ['Run', Run],
];

let schema: GraphQLSchema | undefined;

/** Built on first use (not at import) and shared: resolvers are stateless, state lives in the context. */
export function getSchema(): GraphQLSchema {
  if (schema) return schema;
  const built = buildSchema(typeDefs);
  for (const [typeName, fields] of RESOLVERS) {
    const type = built.getType(typeName);
    if (!(type instanceof GraphQLObjectType)) throw new Error(`resolvers for unknown type ${typeName}`);
    const schemaFields = type.getFields();
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const field = schemaFields[fieldName];
      if (!field) throw new Error(`resolver for unknown field ${typeName}.${fieldName}`);
      if (field.resolve) throw new Error(`two resolvers for ${typeName}.${fieldName}`);
      field.resolve = resolve as unknown as GraphQLFieldResolver<unknown, Context>;
    }
  }
  schema = built;
  return schema;
}
