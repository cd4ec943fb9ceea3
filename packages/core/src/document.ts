// The one type the generated documents need from @graphql-typed-document-node/core, declared here
// (structurally the same) so that no package depends on that module.

/**
 * Carries a document's result and variables types; generated documents are strings with it attached.
 * @example const doc = 'query Viewer { viewer { id } }' as string & DocumentTypeDecoration<{ viewer: { id: string } | null }, {}>;
 */
export interface DocumentTypeDecoration<TResult, TVariables> {
  /** Type-level only: never present at run time. */
  __apiType?: (variables: TVariables) => TResult;
}
