package dev.gatekit.core.queue;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The record of the operators' delivery pauses ({@link DeliveryPauses}). */
public interface DeliveryPauseDao {

    @SqlUpdate("INSERT INTO delivery_pauses (platform, paused_at) VALUES (:platform, :now) ON CONFLICT (platform) DO NOTHING")
    void pause(@Bind("platform") String platform, @Bind("now") Instant now);

    /** Removes one platform's pause, or with {@code all} every pause. */
    @SqlUpdate("DELETE FROM delivery_pauses WHERE platform = :platform OR :all")
    void resume(@Bind("platform") String platform, @Bind("all") boolean all);

    @SqlQuery("SELECT platform FROM delivery_pauses ORDER BY platform")
    List<String> paused();
}
