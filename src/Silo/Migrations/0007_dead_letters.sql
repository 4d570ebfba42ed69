-- The dead-letter queue is the dead-lettered rows of tasks, listed most recent first.
CREATE INDEX tasks_dead_letters ON tasks (updated_at DESC, id DESC) WHERE status = 'DeadLettered';
