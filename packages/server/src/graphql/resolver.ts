import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from './context';

/** A field resolver with its own source and args types; `never` lets any of them into one map. */
export type FieldResolver = (source: never, args: never, context: Context, info: GraphQLResolveInfo) => unknown;
export type TypeResolvers = Record<string, FieldResolver>;
