import 'package:flet/flet.dart';

import 'push_messaging.dart';
import 'screen_shield.dart';

/// Registers Đóng Phí's services with the Flet client (found by `flet build` in the Python package).
class Extension extends FletExtension {
  @override
  FletService? createService(Control control) {
    switch (control.type) {
      case "DongPhiScreenShield":
        return ScreenShieldService(control: control);
      case "DongPhiPushMessaging":
        return PushMessagingService(control: control);
      default:
        return null;
    }
  }
}
