import type { Resolvers } from '../../generated/internal';
import { loaderOf } from '../../loaders';
import { checked } from '../../authz/checked';
import { isUuid } from '../../db/sql';
import type { TaskFields } from '../../db/records/task';
import * as service from './task.service';
import { taskById } from './task.loaders';
import { taskHolders } from './task.loaders';
import { userRef } from '../user/user.loaders';

export const taskResolvers: Resolvers = {
  Query: {
    task: (_p, { id }, ctx) => (isUuid(id) ? loaderOf(ctx, taskById).load(id) : null),
  },
  Mutation: {
    createTask: (_p, args, ctx) => service.createTask(ctx, checked(args), args.input),
    updateTask: (_p, args, ctx) => service.updateTask(ctx, checked(args), args.input),
    deleteTask: (_p, args, ctx) => service.deleteTask(ctx, checked(args)),
  },
  Task: {
    assignee: (t: TaskFields, _a, ctx) => userRef(ctx, t.assigneeId),
    createdBy: (t: TaskFields, _a, ctx) => userRef(ctx, t.createdById),
    // A visible task's case is visible (its task_share link goes through the organisation's case share).
    sharedWith: (t: TaskFields, _a, ctx) => loaderOf(ctx, taskHolders).load(t.id),
  },
};
