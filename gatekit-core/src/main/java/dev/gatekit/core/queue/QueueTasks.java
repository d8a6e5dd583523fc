package dev.gatekit.core.queue;

import dev.gatekit.core.messages.MessageService;
import dev.gatekit.core.projects.ProjectDao;
import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The operators' queue tasks on the admin port: pause, resume, requeue failed, drain. */
public final class QueueTasks {

    private QueueTasks() {
    }

    public static List<Task> all(DispatchQueue queue, DeliveryWorkers workers, MessageService messages, ProjectDao projects) {
        return List.of(new PauseDelivery(queue), new ResumeDelivery(queue), new RequeueFailed(messages, projects), new Drain(workers));
    }

    private static String param(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() || values.get(0).isBlank() ? null : values.get(0);
    }

    /** {@code POST /tasks/pause-delivery?platform=telegram}; without a platform, every platform. */
    static final class PauseDelivery extends Task {
        private final DispatchQueue queue;

        PauseDelivery(DispatchQueue queue) {
            super("pause-delivery");
            this.queue = queue;
        }

        @Override
        public void execute(Map<String, List<String>> parameters, PrintWriter output) {
            String platform = param(parameters, "platform");
            queue.pause(platform == null ? DispatchQueue.ALL_PLATFORMS : platform);
            output.println("paused: " + queue.pausedPlatforms());
        }
    }

    /** {@code POST /tasks/resume-delivery?platform=telegram}; without a platform, resumes everything. */
    static final class ResumeDelivery extends Task {
        private final DispatchQueue queue;

        ResumeDelivery(DispatchQueue queue) {
            super("resume-delivery");
            this.queue = queue;
        }

        @Override
        public void execute(Map<String, List<String>> parameters, PrintWriter output) {
            String platform = param(parameters, "platform");
            if (platform == null) {
                queue.pausedPlatforms().forEach(queue::resume);
                queue.resume(DispatchQueue.ALL_PLATFORMS);
            } else {
                queue.resume(platform);
            }
            output.println("paused: " + queue.pausedPlatforms());
        }
    }

    /** {@code POST /tasks/requeue-failed?project=slug&platform=webhook&limit=1000}: both filters optional. */
    static final class RequeueFailed extends Task {
        private final MessageService messages;
        private final ProjectDao projects;

        RequeueFailed(MessageService messages, ProjectDao projects) {
            super("requeue-failed");
            this.messages = messages;
            this.projects = projects;
        }

        @Override
        public void execute(Map<String, List<String>> parameters, PrintWriter output) {
            String slug = param(parameters, "project");
            UUID projectId = null;
            if (slug != null) {
                projectId = projects.findBySlug(slug).map(p -> p.id()).orElse(null);
                if (projectId == null) {
                    output.println("no project " + slug);
                    return;
                }
            }
            String limit = param(parameters, "limit");
            int requeued = messages.requeueFailed(projectId, param(parameters, "platform"), limit == null ? 1000 : Integer.parseInt(limit));
            output.println("requeued messages: " + requeued);
        }
    }

    /**
     * {@code POST /tasks/drain}: this process stops taking work and the call returns once in-flight
     * deliveries finished, for a graceful stop. {@code ?resume=true} takes work again.
     */
    static final class Drain extends Task {
        private final DeliveryWorkers workers;

        Drain(DeliveryWorkers workers) {
            super("drain");
            this.workers = workers;
        }

        @Override
        public void execute(Map<String, List<String>> parameters, PrintWriter output) throws InterruptedException {
            if ("true".equals(param(parameters, "resume"))) {
                workers.resumeAfterDrain();
                output.println("resumed");
                return;
            }
            boolean drained = workers.drain(Duration.ofSeconds(60));
            output.println(drained ? "drained" : "still in flight: " + workers.inFlight());
        }
    }
}
