import type { Resolvers } from '../../generated/internal';
import { loaderOf } from '../../loaders';
import type { RequestContext } from '../../context';
import { checked } from '../../authz/checked';
import { userRef } from '../user/user.loaders';
import { jobsByObject } from './cortex.loaders';
import type { JobRow } from '../../db/records/cortex';
import * as service from './cortex.service';

const jobsOf = (o: { id: string }, _a: unknown, ctx: RequestContext) => loaderOf(ctx, jobsByObject).load(o.id);

export const cortexResolvers: Resolvers = {
  Query: {
    analyzerTemplates: (_p, _a, ctx) => service.listAnalyzerTemplates(ctx),
  },
  Mutation: {
    createAnalyzerTemplate: (_p, { analyzer, content }, ctx) => service.createAnalyzerTemplate(ctx, analyzer, content),
    updateAnalyzerTemplate: (_p, { analyzer, content }, ctx) => service.updateAnalyzerTemplate(ctx, analyzer, content),
    deleteAnalyzerTemplate: (_p, { analyzer }, ctx) => service.deleteAnalyzerTemplate(ctx, analyzer),
    runAnalyzer: (_p, args, ctx) => service.runAnalyzer(ctx, checked(args), args.analyzer),
    runResponder: (_p, args, ctx) => service.runResponder(ctx, args.target, checked(args, 'id'), args.responder),
  },
  CortexJob: {
    createdBy: (j: JobRow, _a, ctx) => userRef(ctx, j.createdById),
  },
  Observable: { jobs: jobsOf },
  Case: { jobs: jobsOf },
  Task: { jobs: jobsOf },
};
