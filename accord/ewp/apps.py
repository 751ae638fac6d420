from django.apps import AppConfig


class EwpConfig(AppConfig):
    name = "accord.ewp"
    verbose_name = "Erasmus Without Paper"

    def ready(self) -> None:
        # The mobilities app forwards acts on copies of partners' mobilities through these (see
        # accord.mobilities.remote); registering here keeps that app free of EWP imports.
        from accord.ewp.notify import subscribers
        from accord.ewp.pull import omobilities, omobility_las
        from accord.mobilities import remote

        # The domain publishes events and asks registered policies; it never imports this app.
        subscribers.connect()

        remote.register("nomination_accept", omobilities.forward_nomination_accept)
        remote.register("nomination_reject", omobilities.forward_nomination_reject)
        omobility_las.register_forwarders()
