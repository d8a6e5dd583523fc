package dev.gatekit.core.queue;

import dev.gatekit.core.admin.AdminTask;
import dev.gatekit.core.admin.TaskInputException;
import dev.gatekit.core.messages.MessageService;
import dev.gatekit.core.plugins.PlatformRegistry;
import dev.gatekit.core.projects.Project;
import dev.gatekit.core.projects.ProjectDao;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The operators' queue tasks on the admin port: pause, resume, requeue failed, drain. */
public final class QueueTasks {

    private QueueTasks() {
    }

    /** @param platforms the loaded platforms: pausing one that is not is refused, since it is likely a typo */
    public static List<AdminTask> all(DeliveryPauses pauses, DeliveryWorkers workers, MessageService messages, ProjectDao projects,
                                      PlatformRegistry platforms) {
        return List.of(
                // POST /tasks/pause-delivery?platform=telegram; without a platform, every platform. Kept in Postgres.
                new AdminTask("pause-delivery", (parameters, output) -> {
                    Optional<String> platform = parameters.get("platform");
                    if (platform.isPresent() && platforms.find(platform.get()).isEmpty()) {
                        throw new TaskInputException("platform", "no loaded platform '" + platform.get() + "'; loaded: "
                                + platforms.describeLoaded());
                    }
                    pauses.pause(platform.orElse(DispatchQueue.ALL_PLATFORMS));
                    output.println("paused: " + pauses.paused());
                }),
                // POST /tasks/resume-delivery?platform=telegram; without a platform, resumes everything.
                new AdminTask("resume-delivery", (parameters, output) -> {
                    pauses.resume(parameters.get("platform").orElse(DispatchQueue.ALL_PLATFORMS));
                    output.println("paused: " + pauses.paused());
                }),
                // POST /tasks/requeue-failed?project=slug&platform=webhook&limit=1000; every filter optional.
                new AdminTask("requeue-failed", (parameters, output) -> {
                    Optional<String> slug = parameters.get("project");
                    UUID projectId = null;
                    if (slug.isPresent()) {
                        Optional<Project> project = projects.findBySlug(slug.get());
                        if (project.isEmpty()) {
                            output.println("no project " + slug.get());
                            return;
                        }
                        projectId = project.get().id();
                    }
                    int limit = parameters.positiveInt("limit", 1000);
                    output.println("requeued messages: " + messages.requeueFailed(projectId, parameters.get("platform").orElse(null), limit));
                }),
                // POST /tasks/drain: this process stops taking work and answers once in-flight deliveries
                // finished, for a graceful stop; ?resume=true takes work again.
                new AdminTask("drain", (parameters, output) -> {
                    if (parameters.get("resume").filter("true"::equals).isPresent()) {
                        workers.resumeAfterDrain();
                        output.println("resumed");
                        return;
                    }
                    boolean drained = workers.drain(Duration.ofSeconds(60));
                    output.println(drained ? "drained" : "still in flight: " + workers.inFlight());
                }));
    }
}
