import 'package:flet/flet.dart';
import 'package:flutter/foundation.dart';
import 'package:screen_protector/screen_protector.dart';

/// protect / release: keeps the screen out of screenshots, recordings and the app switcher.
class ScreenShieldService extends FletService {
  ScreenShieldService({required super.control});

  bool _protected = false;

  /// The window's protection is one for the whole app: when a session reconnects, the old service's
  /// release may come after the new one's protect. Counting the services that want it keeps it on.
  static int _wanting = 0;

  static bool get _android =>
      !kIsWeb && defaultTargetPlatform == TargetPlatform.android;

  static bool get _ios => !kIsWeb && defaultTargetPlatform == TargetPlatform.iOS;

  @override
  void init() {
    super.init();
    control.addInvokeMethodListener(_invokeMethod);
  }

  Future<dynamic> _invokeMethod(String name, dynamic args) async {
    switch (name) {
      case "protect":
        await _protect();
        return null;
      case "release":
        await _release();
        return null;
      default:
        throw Exception("Unknown DongPhiScreenShield method: $name");
    }
  }

  Future<void> _protect() async {
    if (_protected) return;
    _protected = true;
    if (_wanting++ > 0) return;
    if (_android) {
      // FLAG_SECURE: captures are black and the recents thumbnail is blank.
      await ScreenProtector.preventScreenshotOn();
    } else if (_ios) {
      // Captures and recordings show a blank screen; the app switcher snapshot is blurred.
      await ScreenProtector.preventScreenshotOn();
      await ScreenProtector.protectDataLeakageWithBlur();
    }
  }

  Future<void> _release() async {
    if (!_protected) return;
    _protected = false;
    if (--_wanting > 0) return;
    if (_android) {
      await ScreenProtector.preventScreenshotOff();
    } else if (_ios) {
      await ScreenProtector.preventScreenshotOff();
      await ScreenProtector.protectDataLeakageWithBlurOff();
    }
  }

  @override
  void dispose() {
    control.removeInvokeMethodListener(_invokeMethod);
    if (_protected) {
      // The session went away while protected: do not leave the whole app uncapturable.
      _release().catchError((Object e) {
        debugPrint("DongPhiScreenShield: release on dispose failed: $e");
      });
    }
    super.dispose();
  }
}
